package dev.nimbus.proxmox.client.model;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One row of {@code GET /nodes/{node}/network}: eth, bond, bridge (Linux or OVSBridge), vlan,
 * OVSPort... {@code vlan-id} may be a string, {@code exists} may be null, port lists arrive as
 * space separated strings.
 */
public record NodeNetworkInterface(
    String iface,
    String type,
    boolean active,
    boolean autostart,
    String method,
    String method6,
    String address,
    String netmask,
    String cidr,
    String gateway,
    String address6,
    String cidr6,
    String gateway6,
    List<String> bridgePorts,
    boolean bridgeVlanAware,
    String bridgeVids,
    Integer vlanId,
    String vlanRawDevice,
    String ovsType,
    String ovsBridge,
    List<String> ovsPorts,
    List<String> slaves,
    String bondMode,
    Integer mtu,
    String comments,
    JsonNode raw) {

  public static NodeNetworkInterface from(JsonNode n) {
    return new NodeNetworkInterface(
        Lenient.text(n, "iface"),
        Lenient.text(n, "type"),
        Lenient.bool(n, "active"),
        Lenient.bool(n, "autostart"),
        Lenient.text(n, "method"),
        Lenient.text(n, "method6"),
        Lenient.text(n, "address"),
        Lenient.text(n, "netmask"),
        Lenient.text(n, "cidr"),
        Lenient.text(n, "gateway"),
        Lenient.text(n, "address6"),
        Lenient.text(n, "cidr6"),
        Lenient.text(n, "gateway6"),
        Lenient.words(n, "bridge_ports"),
        Lenient.bool(n, "bridge_vlan_aware"),
        Lenient.text(n, "bridge_vids"),
        Lenient.intValue(n, "vlan-id"),
        Lenient.text(n, "vlan-raw-device"),
        Lenient.text(n, "ovs_type"),
        Lenient.text(n, "ovs_bridge"),
        Lenient.words(n, "ovs_ports"),
        Lenient.words(n, "slaves"),
        Lenient.text(n, "bond_mode"),
        Lenient.intValue(n, "mtu"),
        Lenient.text(n, "comments"),
        n);
  }

  /** True for Linux bridges and OVS bridges. */
  public boolean isBridge() {
    return "bridge".equals(type) || "OVSBridge".equals(type);
  }
}
