package dev.nimbus.pvesim;

import java.util.List;
import java.util.Map;

/** SDN configuration records: zones, vnets and subnets, as in /etc/pve/sdn/*.cfg. */
final class Sdn {
  private Sdn() {}

  record Zone(String zone, String type, Map<String, Object> properties) {}

  record Vnet(
      String vnet,
      String zone,
      Integer tag,
      boolean vlanaware,
      String alias,
      List<FirewallRule> rules) {}

  record Subnet(
      String vnet,
      String cidr,
      String gateway,
      boolean snat,
      String dhcpStart,
      String dhcpEnd,
      String zone) {
    /** Subnet ids are {@code <zone>-<network>-<prefix>}, Proxmox's quirk. */
    String id() {
      return zone + "-" + cidr.replace('/', '-');
    }
  }
}
