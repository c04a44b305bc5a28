package dev.nimbus.proxmox.provider;

/**
 * The native keys and discovery scopes of Proxmox CIs. Keys are stable across runs: a guest is
 * {@code qemu/101} wherever it runs (so a migration is a relationship change, not a new CI),
 * node-local things carry their node ({@code storage/pve1/local-lvm}, {@code network/pve1/vmbr0})
 * and shared ones do not ({@code storage/ceph}).
 *
 * <p>Scopes are the parts of a run that can succeed or fail on their own: {@code node/<n>} for
 * everything read through a node (guests, local storage, bridges, node and guest firewall), and one
 * scope per cluster-wide family, so a token that may not read SDN does not stop deletions of pools
 * from being recorded.
 */
public final class ProxmoxKeys {
  public static final String PROVIDER = "proxmox";

  public static final String TENANCY = "cluster";

  /** Scope of the tenancy and the nodes themselves (both come from /cluster/resources). */
  public static final String SCOPE_CLUSTER = "cluster";

  public static final String SCOPE_POOLS = "cluster/pools";
  public static final String SCOPE_STORAGE = "cluster/storage";
  public static final String SCOPE_SDN = "cluster/sdn";
  public static final String SCOPE_FIREWALL = "cluster/firewall";

  private ProxmoxKeys() {}

  public static String node(String node) {
    return "node/" + node;
  }

  public static String nodeScope(String node) {
    return "node/" + node;
  }

  public static String guest(String type, int vmid) {
    return type + "/" + vmid;
  }

  public static String pool(String poolId) {
    return "pool/" + poolId;
  }

  public static String sharedStorage(String storage) {
    return "storage/" + storage;
  }

  public static String localStorage(String node, String storage) {
    return "storage/" + node + "/" + storage;
  }

  public static String bridge(String node, String iface) {
    return "network/" + node + "/" + iface;
  }

  public static String sdnZone(String zone) {
    return "sdn/zone/" + zone;
  }

  public static String sdnVnet(String vnet) {
    return "sdn/vnet/" + vnet;
  }

  public static String clusterFirewall() {
    return "firewall/cluster";
  }

  public static String securityGroup(String group) {
    return "firewall/group/" + group;
  }

  public static String nodeFirewall(String node) {
    return "firewall/node/" + node;
  }

  public static String guestFirewall(int vmid) {
    return "firewall/guest/" + vmid;
  }

  public static String vnetFirewall(String vnet) {
    return "firewall/vnet/" + vnet;
  }

  /** The parent of a nested pool id ({@code prod/web} -> {@code prod}), or null at the top. */
  public static String parentPool(String poolId) {
    int slash = poolId.lastIndexOf('/');
    return slash <= 0 ? null : poolId.substring(0, slash);
  }
}
