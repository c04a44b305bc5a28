package dev.nimbus.infra;

import java.util.Map;
import java.util.Optional;

/**
 * The proxmoxve resource types the programs create, with their type tokens in the pinned version 8
 * and in version 7 (version 8.0.0 of the bridge renamed every token: {@code
 * proxmoxve:VM/virtualMachine:VirtualMachine} became {@code proxmoxve:index/vmLegacy:VmLegacy}).
 * Stacks created before the rename keep the old tokens in their state, so everything that reads
 * state or engine events (CI links, drift) accepts both. Property names did not change between the
 * two, except the SDN vnet's id ({@code vnetId} in 7, {@code resourceId} in 8).
 */
public enum ResourceKind {
  VM(
      "proxmoxve:index/vmLegacy:VmLegacy",
      "proxmoxve:VM/virtualMachine:VirtualMachine",
      "proxmox_virtual_environment_vm"),
  CONTAINER(
      "proxmoxve:index/containerLegacy:ContainerLegacy",
      "proxmoxve:CT/container:Container",
      "proxmox_virtual_environment_container"),
  POOL(
      "proxmoxve:index/poolLegacy:PoolLegacy",
      "proxmoxve:Permission/pool:Pool",
      "proxmox_virtual_environment_pool"),
  SECURITY_GROUP(
      "proxmoxve:cluster/firewall/security/groupLegacy:GroupLegacy",
      "proxmoxve:Network/firewallSecurityGroup:FirewallSecurityGroup",
      "proxmox_virtual_environment_cluster_firewall_security_group"),
  FIREWALL_RULES(
      "proxmoxve:firewall/rulesLegacy:RulesLegacy",
      "proxmoxve:Network/firewallRules:FirewallRules",
      "proxmox_virtual_environment_firewall_rules"),
  FIREWALL_OPTIONS(
      "proxmoxve:firewall/optionsLegacy:OptionsLegacy",
      "proxmoxve:Network/firewallOptions:FirewallOptions",
      "proxmox_virtual_environment_firewall_options"),
  SDN_VNET("proxmoxve:sdn/vnet:Vnet", "proxmoxve:Sdn/vnet:Vnet", "proxmox_sdn_vnet"),
  SDN_APPLIER(
      "proxmoxve:sdn/applier:Applier", "proxmoxve:Sdn/applier:Applier", "proxmox_sdn_applier");

  private final String token;
  private final String v7Token;
  private final String terraformType;

  ResourceKind(String token, String v7Token, String terraformType) {
    this.token = token;
    this.v7Token = v7Token;
    this.terraformType = terraformType;
  }

  /** The type token in the pinned version (8.x). */
  public String token() {
    return token;
  }

  /** The type token the same resource had in version 7. */
  public String v7Token() {
    return v7Token;
  }

  /** The upstream Terraform resource type (for reading the provider's documentation). */
  public String terraformType() {
    return terraformType;
  }

  /** The kind of a type token of either version; empty for anything else. */
  public static Optional<ResourceKind> ofToken(String type) {
    for (ResourceKind k : values()) {
      if (k.token.equals(type) || k.v7Token.equals(type)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /**
   * The native key of the CI that discovery keeps for the resource with these outputs (as the
   * engine reports them), or empty when the resource has no CI of its own (options, the SDN
   * applier) or the outputs do not say.
   */
  public Optional<String> nativeKey(Map<String, Object> outputs) {
    return switch (this) {
      case VM -> integer(outputs.get("vmId")).map(id -> "qemu/" + id);
      case CONTAINER -> integer(outputs.get("vmId")).map(id -> "lxc/" + id);
      case POOL -> text(outputs.get("poolId")).map(id -> "pool/" + id);
      case SECURITY_GROUP -> text(outputs.get("name")).map(n -> "firewall/group/" + n);
      case FIREWALL_RULES ->
          integer(outputs.get("vmId"))
              .or(() -> integer(outputs.get("containerId")))
              .map(id -> "firewall/guest/" + id);
      case SDN_VNET ->
          text(outputs.get("resourceId"))
              .or(() -> text(outputs.get("vnetId")))
              .map(id -> "sdn/vnet/" + id);
      case FIREWALL_OPTIONS, SDN_APPLIER -> Optional.empty();
    };
  }

  private static Optional<Integer> integer(Object v) {
    if (v instanceof Number n) {
      return Optional.of(n.intValue());
    }
    if (v instanceof String s && s.matches("\\d+")) {
      return Optional.of(Integer.parseInt(s));
    }
    return Optional.empty();
  }

  private static Optional<String> text(Object v) {
    return v instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
  }
}
