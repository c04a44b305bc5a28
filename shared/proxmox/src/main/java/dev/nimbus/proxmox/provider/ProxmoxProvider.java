package dev.nimbus.proxmox.provider;

import dev.nimbus.model.CloudProviderInterface;
import dev.nimbus.model.ConnectionCheck;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.PermissionRequirement;
import dev.nimbus.model.UsageCollection;
import dev.nimbus.model.UsageRequest;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.model.Permissions;
import dev.nimbus.proxmox.client.model.VersionInfo;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Nimbus's Proxmox VE provider for one connection: maps a cluster (or a standalone node) onto
 * semantic CIs, discovering change-driven (see {@link DiscoveryRun}), and collects usage from the
 * cluster's metrics export (RRD series before PVE 8.4). The client it is given carries the
 * connection's endpoint, trust and token.
 */
public final class ProxmoxProvider implements CloudProviderInterface {
  private final ProxmoxClient client;
  private final ConnectionRef connection;
  private final String identity;
  private final DiscoveryOptions options;
  private final Clock clock;

  /**
   * @param identity the token id the client authenticates as ({@code user@realm!name}); shown in
   *     connection checks, never a secret
   */
  public ProxmoxProvider(
      ProxmoxClient client,
      ConnectionRef connection,
      String identity,
      DiscoveryOptions options,
      Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.connection = Objects.requireNonNull(connection, "connection");
    this.identity = identity;
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String provider() {
    return ProxmoxKeys.PROVIDER;
  }

  @Override
  public ConnectionCheck testConnection() {
    VersionInfo version;
    try {
      version = client.version();
    } catch (ProxmoxException e) {
      return new ConnectionCheck(false, null, identity, List.of(), e.getMessage());
    }
    try {
      Permissions granted = client.access().permissions();
      return new ConnectionCheck(
          true,
          version.version(),
          identity,
          ProxmoxPermissions.missing(version.parsed(), granted),
          null);
    } catch (ProxmoxException e) {
      return new ConnectionCheck(true, version.version(), identity, List.of(), e.getMessage());
    }
  }

  @Override
  public DiscoverySnapshot discover(DiscoveryScope scope, DiscoverySnapshot previous) {
    Objects.requireNonNull(scope, "scope");
    DiscoverySnapshot before = previous == null ? DiscoverySnapshot.none(connection) : previous;
    return new DiscoveryRun(client, new CiFactory(connection), options, scope, before, clock).run();
  }

  @Override
  public UsageCollection collectUsage(UsageRequest request) {
    Objects.requireNonNull(request, "request");
    return new UsageCollector(client, connection, clock).collect(request);
  }

  /**
   * How many 10-second generations one metrics export answer asks for, for a cluster of {@code
   * resources} with counters (the rest come from the stored baselines).
   */
  public static long exportGenerationBudget(int resources) {
    return UsageCollector.generationBudget(resources);
  }

  @Override
  public List<PermissionRequirement> requiredPermissions() {
    return ProxmoxPermissions.required(null);
  }
}
