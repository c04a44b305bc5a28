package dev.nimbus.infra.programs;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a connection's cluster holds, as far as input validation needs it: the runner builds it from
 * the connection's CIs (the last discovery), so an unknown node, storage, template, zone or group
 * is refused with a field error before any engine call.
 *
 * @param nodes node names
 * @param storages storage name to what it offers
 * @param guests vmid to guest (templates included)
 * @param sdnZones SDN zone names
 * @param sdnVnets SDN vnet names that exist
 * @param pools pool ids ({@code parent/child} for nested pools)
 * @param securityGroups cluster firewall security group names
 * @param bridges node name to its bridges (Linux and OVS)
 * @param managed native keys of what the stack being deployed already manages (its own VM id or
 *     pool is not "taken")
 */
public record Inventory(
    Set<String> nodes,
    Map<String, Storage> storages,
    SortedMap<Integer, Guest> guests,
    Set<String> sdnZones,
    Set<String> sdnVnets,
    Set<String> pools,
    Set<String> securityGroups,
    Map<String, Set<String>> bridges,
    Set<String> managed) {

  /** A storage: shared (on every node) or on the listed nodes; its content types. */
  public record Storage(String name, boolean shared, Set<String> nodes, Set<String> content) {
    public Storage {
      nodes = Set.copyOf(nodes);
      content = Set.copyOf(content);
    }

    public boolean availableOn(String node) {
      return shared || nodes.contains(node);
    }
  }

  /** A guest: {@code qemu} or {@code lxc}, its node and whether it is a template. */
  public record Guest(int vmid, String type, String node, String name, boolean template) {}

  public Inventory {
    nodes = Set.copyOf(nodes);
    storages = Map.copyOf(storages);
    guests = new TreeMap<>(guests);
    sdnZones = Set.copyOf(sdnZones);
    sdnVnets = Set.copyOf(sdnVnets);
    pools = Set.copyOf(pools);
    securityGroups = Set.copyOf(securityGroups);
    bridges = Map.copyOf(bridges);
    managed = Set.copyOf(managed);
  }

  /** This inventory, with {@code nativeKeys} managed by the stack being deployed. */
  public Inventory managing(Set<String> nativeKeys) {
    return new Inventory(
        nodes, storages, guests, sdnZones, sdnVnets, pools, securityGroups, bridges, nativeKeys);
  }

  /** Whether a guest NIC may attach to {@code bridge} on {@code node}: a bridge there or a vnet. */
  public boolean bridgeUsable(String node, String bridge) {
    return bridges.getOrDefault(node, Set.of()).contains(bridge) || sdnVnets.contains(bridge);
  }

  public Optional<Guest> guest(int vmid) {
    return Optional.ofNullable(guests.get(Objects.requireNonNull(vmid)));
  }

  public Optional<Storage> storage(String name) {
    return Optional.ofNullable(storages.get(name));
  }
}
