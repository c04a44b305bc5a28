package dev.nimbus.pulumi.runner;

import dev.nimbus.cmdb.CiRepository;
import dev.nimbus.cmdb.CmdbService;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.ProxmoxClients;
import dev.nimbus.connections.ResolvedConnection;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.provider.DiscoveryOptions;
import dev.nimbus.proxmox.provider.ProxmoxProvider;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Fills a CMDB the way discovery does: the real Proxmox provider reads the simulated cluster and
 * the CMDB applies the snapshot, so the inventory is built from the CIs a deployment would see.
 */
final class SimulatedDiscovery {
  private SimulatedDiscovery() {}

  /** The connection settings of the simulator: its entry node's fingerprint pinned. */
  static ResolvedConnection connection(ConnectionRef ref, PveSimulator sim, ApiToken token) {
    return new ResolvedConnection(
        ref,
        new Endpoint("127.0.0.1", sim.port(), Optional.empty()),
        Optional.empty(),
        TlsTrust.pinned(Map.of(sim.entryNode(), sim.fingerprint(sim.entryNode()))),
        token.fullId(),
        Secret.of(token.secret()),
        Map.of(),
        DiscoveryScope.everything());
  }

  /** Discovers the simulated cluster into {@code cis}; returns the snapshot. */
  static DiscoverySnapshot discover(
      CiRepository cis, ConnectionRef ref, PveSimulator sim, ApiToken token) {
    try (ResolvedConnection c = connection(ref, sim, token)) {
      var provider =
          new ProxmoxProvider(
              ProxmoxClients.create(c, 4, Clock.systemUTC()),
              ref,
              token.fullId(),
              DiscoveryOptions.defaults(),
              Clock.systemUTC());
      DiscoverySnapshot snapshot =
          provider.discover(DiscoveryScope.everything(), DiscoverySnapshot.none(ref));
      new CmdbService(cis, CmdbSettings.defaults(), Clock.systemUTC()).apply(snapshot);
      return snapshot;
    }
  }
}
