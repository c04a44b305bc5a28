package dev.nimbus.proxmox.provider;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.tls.TlsTrust;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import java.time.Clock;
import java.time.Duration;

/** A simulated demo cluster with a discovery token, a client and a provider for it. */
final class SimulatedCluster implements AutoCloseable {
  static final ConnectionRef LAB = new ConnectionRef("acme", "lab");

  final PveSimulator sim;
  final ApiToken token;
  final ProxmoxClient client;

  private SimulatedCluster(PveSimulator sim, ApiToken token, int concurrency) {
    this.sim = sim;
    this.token = token;
    this.client =
        ProxmoxClient.create(
            ClientSettings.builder(sim.baseUri())
                .trust(TlsTrust.PinnedFingerprints.of(sim.fingerprint(sim.entryNode())))
                .apiToken(token.fullId(), Secret.of(token.secret()))
                .maxConcurrentRequests(concurrency)
                .build());
  }

  static SimulatedCluster demo(PveVersion version) {
    return demo(version, Roles.PVE_AUDITOR);
  }

  static SimulatedCluster demo(PveVersion version, String role) {
    PveSimulator sim =
        PveSimulator.start(
            SimulatorConfig.demo().withVersion(version).withAuthFailureDelay(Duration.ZERO));
    return new SimulatedCluster(sim, sim.createToken("discovery@pve", "ro", role, true), 4);
  }

  static SimulatedCluster withToken(
      PveVersion version, java.util.function.Function<PveSimulator, ApiToken> token) {
    PveSimulator sim =
        PveSimulator.start(
            SimulatorConfig.demo().withVersion(version).withAuthFailureDelay(Duration.ZERO));
    return new SimulatedCluster(sim, token.apply(sim), 4);
  }

  /** A cluster on simulated time: the provider reads the same clock the simulator runs on. */
  static SimulatedCluster onClock(SimulatorConfig config, Clock clock, String role) {
    PveSimulator sim =
        PveSimulator.start(config.withClock(clock).withAuthFailureDelay(Duration.ZERO));
    SimulatedCluster c =
        new SimulatedCluster(sim, sim.createToken("discovery@pve", "ro", role, true), 4);
    c.clock = clock;
    return c;
  }

  private Clock clock = Clock.systemUTC();

  ProxmoxProvider provider(DiscoveryOptions options) {
    return new ProxmoxProvider(client, LAB, token.fullId(), options, clock);
  }

  DiscoverySnapshot discover(DiscoverySnapshot previous) {
    return provider(DiscoveryOptions.defaults())
        .discover(new DiscoveryScope.Everything(), previous);
  }

  DiscoverySnapshot firstRun() {
    return discover(DiscoverySnapshot.none(LAB));
  }

  @Override
  public void close() {
    sim.close();
  }
}
