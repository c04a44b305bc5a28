package dev.nimbus.model;

import java.util.List;

/**
 * What every Nimbus cloud provider offers, for one connection (one Proxmox cluster, one cloud
 * account). An instance is bound to a connection and its decrypted credentials by the provider's
 * factory; the methods never receive or return a secret.
 */
public interface CloudProviderInterface {

  /** The provider's short name, part of every CI id: {@code proxmox}. */
  String provider();

  /** Reaches the provider and reports version, identity and the permissions that are missing. */
  ConnectionCheck testConnection();

  /**
   * Discovers everything in {@code scope}. {@code previous} is the last snapshot of this connection
   * ({@link DiscoverySnapshot#none} on the first run); a provider may use it to read only what
   * changed. Problems with one resource or scope are reported in the snapshot, not thrown; an
   * exception means the run as a whole failed and nothing may be deleted.
   */
  DiscoverySnapshot discover(DiscoveryScope scope, DiscoverySnapshot previous);

  /**
   * Collects the usage of every resource in {@code request.range()} from its cursor on, as per-hour
   * slices. One resource whose data is malformed is reported and left out; an exception means
   * nothing could be collected.
   */
  UsageCollection collectUsage(UsageRequest request);

  /** The permissions each feature needs, so a wizard can check them before saving. */
  List<PermissionRequirement> requiredPermissions();
}
