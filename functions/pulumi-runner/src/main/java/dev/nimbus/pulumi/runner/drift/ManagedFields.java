package dev.nimbus.pulumi.runner.drift;

import dev.nimbus.deployments.drift.DriftValues;
import dev.nimbus.infra.ResourceKind;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which CI paths each top-level provider property of a resource kind shows up as in the CMDB, so a
 * property the engine reports can be credited to the CMDB change that made it (memory on a VM is
 * {@code attributes.memoryMiB} and {@code attributes.memoryBytes}), and a CMDB change can be told
 * apart from what the engine already reports. Provider names are the proxmoxve schema's (the same
 * in version 7 and 8).
 */
final class ManagedFields {
  private static final Map<String, List<String>> GUEST =
      Map.ofEntries(
          Map.entry("nodeName", List.of("attributes.node", "relationships.RUNS_ON")),
          Map.entry("name", List.of("name", "attributes.name")),
          Map.entry(
              "memory",
              List.of(
                  "attributes.memoryMiB",
                  "attributes.memoryBytes",
                  "attributes.balloonMiB",
                  "attributes.swapMiB")),
          Map.entry(
              "cpu",
              List.of(
                  "attributes.cores",
                  "attributes.sockets",
                  "attributes.vcpus",
                  "attributes.cpuLimit",
                  "attributes.cpuModel")),
          Map.entry("onBoot", List.of("attributes.onBoot")),
          Map.entry("description", List.of("attributes.description")),
          Map.entry("tags", List.of("attributes.tags")),
          Map.entry("poolId", List.of("attributes.pool", "relationships.MEMBER_OF")),
          Map.entry("started", List.of("attributes.powerState")),
          Map.entry("agent", List.of("attributes.agentEnabled")),
          Map.entry("networkDevices", List.of("attributes.nics", "relationships.ATTACHED_TO")),
          Map.entry("networkInterfaces", List.of("attributes.nics", "relationships.ATTACHED_TO")),
          Map.entry("initialization", List.of("attributes.cloudInitIpConfig")),
          Map.entry("operatingSystem", List.of("attributes.osType")),
          Map.entry(
              "disks",
              List.of("attributes.disks", "attributes.diskBytes", "relationships.STORED_ON")));

  private static final Map<String, List<String>> POOL =
      Map.of("comment", List.of("attributes.comment"));

  private static final Map<String, List<String>> VNET =
      Map.of(
          "zone", List.of("attributes.zone", "relationships.ATTACHED_TO"),
          "alias", List.of("attributes.alias"),
          "tag", List.of("attributes.tag"));

  private static final Map<String, List<String>> GROUP =
      Map.of("comment", List.of("attributes.comment"), "rules", List.of("attributes.rules"));

  /**
   * CI paths that describe what runs, not configuration (the agent's addresses, changes pending a
   * restart): never drift of their own.
   */
  static final Set<String> RUNTIME_PATHS = Set.of("attributes.ipAddresses", "attributes.pending");

  private ManagedFields() {}

  static Map<String, List<String>> of(ResourceKind kind) {
    return switch (kind) {
      case VM, CONTAINER -> GUEST;
      case POOL -> POOL;
      case SDN_VNET -> VNET;
      case SECURITY_GROUP -> GROUP;
      default -> Map.of();
    };
  }

  /** The CI paths of a provider property path (by its top-level property); empty if unknown. */
  static List<String> ciPaths(ResourceKind kind, String propertyPath) {
    return of(kind).getOrDefault(DriftValues.topLevel(propertyPath), List.of());
  }

  /** The top-level provider property a CI path belongs to, or null when no property maps to it. */
  static String propertyOf(ResourceKind kind, String ciPath) {
    for (var e : of(kind).entrySet()) {
      for (String p : e.getValue()) {
        if (covers(p, ciPath)) {
          return e.getKey();
        }
      }
    }
    return null;
  }

  /** True when {@code ciPath} is {@code prefix} or lies under it. */
  static boolean covers(String prefix, String ciPath) {
    return ciPath.equals(prefix)
        || ciPath.startsWith(prefix + ".")
        || ciPath.startsWith(prefix + "[");
  }

  static boolean isRuntime(String ciPath) {
    return RUNTIME_PATHS.stream().anyMatch(p -> covers(p, ciPath));
  }
}
