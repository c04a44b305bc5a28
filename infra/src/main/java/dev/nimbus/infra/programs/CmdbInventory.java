package dev.nimbus.infra.programs;

import dev.nimbus.cmdb.CiRepository;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.connections.ConnectionNotFoundException;
import dev.nimbus.connections.FieldError;
import dev.nimbus.model.Attributes;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The inventory deployments are validated against, built from the connection's CIs as the last
 * discovery stored them (one read of the connection's partition): nodes, storages with their
 * content types and the nodes they are on, guests and templates, resource pools, SDN zones and
 * vnets, cluster security groups and each node's bridges. Deleted CIs are left out; unreachable
 * ones (a node that was offline in the last run) are kept, since they still exist.
 *
 * <p>It reads the attributes the Proxmox provider writes (see {@code ProxmoxMapper}): a storage's
 * {@code storage}, {@code shared}, {@code nodes} (storage.cfg's node restriction), {@code node} and
 * {@code content}; a guest's {@code vmid}, {@code node} and {@code template}; a pool's {@code
 * poolId}; an SDN zone's {@code zone}, a vnet's {@code vnet}; a security group's {@code group}; a
 * bridge's {@code node} and {@code iface}.
 */
public final class CmdbInventory {
  private final CiRepository cis;
  private final Predicate<ConnectionRef> connectionExists;

  /**
   * @param cis the CMDB
   * @param connectionExists whether the tenant has the connection (an unknown one is a 404, not an
   *     empty inventory)
   */
  public CmdbInventory(CiRepository cis, Predicate<ConnectionRef> connectionExists) {
    this.cis = cis;
    this.connectionExists = connectionExists;
  }

  /**
   * @throws ConnectionNotFoundException for a connection the tenant does not have
   * @throws InventoryUnavailableException when nothing has been discovered on it yet
   */
  public Inventory inventory(ConnectionRef ref) {
    if (!connectionExists.test(ref)) {
      throw new ConnectionNotFoundException(ref);
    }
    List<ConfigurationItem> live =
        cis.allOfConnection(ref).stream()
            .map(StoredCi::item)
            .filter(ci -> ci.status().isLive())
            .toList();
    if (live.isEmpty()) {
      throw new InventoryUnavailableException(
          List.of(
              new FieldError(
                  "connectionId",
                  "nothing has been discovered on this connection yet: inputs are checked against"
                      + " the last discovery, so run one first")));
    }
    return of(live);
  }

  /** The inventory of these (live) CIs. */
  public static Inventory of(List<ConfigurationItem> live) {
    Set<String> nodes = new TreeSet<>();
    Map<String, StorageParts> storages = new TreeMap<>();
    Map<Integer, Inventory.Guest> guests = new TreeMap<>();
    Set<String> zones = new TreeSet<>();
    Set<String> vnets = new TreeSet<>();
    Set<String> pools = new TreeSet<>();
    Set<String> groups = new TreeSet<>();
    Map<String, Set<String>> bridges = new TreeMap<>();
    for (ConfigurationItem ci : live) {
      Attributes a = ci.attributes();
      switch (ci.semanticType()) {
        case HOST -> add(nodes, text(a, "node"));
        case STORAGE -> {
          String name = text(a, "storage");
          if (name != null && !Boolean.FALSE.equals(a.get("enabled"))) {
            storages.computeIfAbsent(name, n -> new StorageParts()).add(a);
          }
        }
        case COMPUTE -> {
          Integer vmid = integer(a.get("vmid"));
          if (vmid != null) {
            guests.put(
                vmid,
                new Inventory.Guest(
                    vmid,
                    ci.providerType(),
                    text(a, "node"),
                    ci.name(),
                    truthy(a.get("template"))));
          }
        }
        case COMPARTMENT -> add(pools, text(a, "poolId"));
        case NETWORK -> {
          switch (ci.providerType()) {
            case "sdn-zone" -> add(zones, text(a, "zone"));
            case "sdn-vnet" -> add(vnets, text(a, "vnet"));
            case "linux-bridge", "ovs-bridge" -> {
              String node = text(a, "node");
              String iface = text(a, "iface");
              if (node != null && iface != null) {
                bridges.computeIfAbsent(node, n -> new TreeSet<>()).add(iface);
              }
            }
            default -> {}
          }
        }
        case SECURITY_GROUP -> {
          if (ci.providerType().equals("security-group")) {
            add(groups, text(a, "group"));
          }
        }
        default -> {}
      }
    }
    Map<String, Inventory.Storage> storageMap = new TreeMap<>();
    storages.forEach((name, parts) -> storageMap.put(name, parts.storage(name)));
    Map<String, Set<String>> bridgeMap = new HashMap<>();
    bridges.forEach((node, set) -> bridgeMap.put(node, Set.copyOf(set)));
    return new Inventory(
        nodes, storageMap, new TreeMap<>(guests), zones, vnets, pools, groups, bridgeMap, Set.of());
  }

  /**
   * A storage from its CIs: one for a shared storage ({@code storage/ceph}), one per node for a
   * local one ({@code storage/pve1/local-lvm}). A shared storage restricted to some nodes in
   * storage.cfg is available on those only.
   */
  private static final class StorageParts {
    private boolean shared;
    private final Set<String> nodes = new HashSet<>();
    private Set<String> restrictedTo;
    private final Set<String> content = new HashSet<>();

    void add(Attributes a) {
      if (Boolean.TRUE.equals(a.get("shared"))) {
        shared = true;
        List<String> only = strings(a.get("nodes"));
        if (!only.isEmpty()) {
          restrictedTo = Set.copyOf(only);
        }
      } else {
        CmdbInventory.add(nodes, text(a, "node"));
      }
      content.addAll(strings(a.get("content")));
    }

    Inventory.Storage storage(String name) {
      if (shared && restrictedTo != null) {
        return new Inventory.Storage(name, false, restrictedTo, content);
      }
      return new Inventory.Storage(name, shared, nodes, content);
    }
  }

  private static void add(Set<String> set, String value) {
    if (value != null) {
      set.add(value);
    }
  }

  private static String text(Attributes a, String key) {
    return a.get(key) instanceof String s && !s.isBlank() ? s : null;
  }

  private static Integer integer(Object v) {
    return v instanceof Number n ? Integer.valueOf(n.intValue()) : null;
  }

  private static boolean truthy(Object v) {
    return Boolean.TRUE.equals(v) || (v instanceof Number n && n.longValue() != 0);
  }

  private static List<String> strings(Object v) {
    if (v instanceof List<?> l) {
      return l.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }
}
