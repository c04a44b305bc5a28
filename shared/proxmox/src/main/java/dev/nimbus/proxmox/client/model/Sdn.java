package dev.nimbus.proxmox.client.model;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Software-defined networking objects: zones, VNets and subnets. {@code pending} is a boolean
 * before PVE 9.0 and an object after; it is kept raw. {@code state} (new, changed, deleted) marks
 * config not yet applied.
 */
public final class Sdn {
  private Sdn() {}

  /** An SDN zone (simple, vlan, qinq, vxlan, evpn, faucet). */
  public record Zone(
      String zone,
      String type,
      String bridge,
      String ipam,
      String dhcp,
      Integer mtu,
      List<String> nodes,
      String state,
      String digest,
      JsonNode raw) {
    public static Zone from(JsonNode n) {
      return new Zone(
          Lenient.text(n, "zone"),
          Lenient.text(n, "type"),
          Lenient.text(n, "bridge"),
          Lenient.text(n, "ipam"),
          Lenient.text(n, "dhcp"),
          Lenient.intValue(n, "mtu"),
          Lenient.commaList(Lenient.text(n, "nodes")),
          Lenient.text(n, "state"),
          Lenient.text(n, "digest"),
          n);
    }
  }

  /** A VNet in a zone. */
  public record Vnet(
      String vnet,
      String zone,
      Integer tag,
      String alias,
      boolean vlanaware,
      boolean isolatePorts,
      String state,
      String digest,
      JsonNode raw) {
    public static Vnet from(JsonNode n) {
      return new Vnet(
          Lenient.text(n, "vnet"),
          Lenient.text(n, "zone"),
          Lenient.intValue(n, "tag"),
          Lenient.text(n, "alias"),
          Lenient.bool(n, "vlanaware"),
          Lenient.bool(n, "isolate-ports"),
          Lenient.text(n, "state"),
          Lenient.text(n, "digest"),
          n);
    }
  }

  /** A subnet of a VNet, with its DHCP ranges (PVE 8.1+). */
  public record Subnet(
      String id,
      String cidr,
      String network,
      Integer mask,
      String gateway,
      String vnet,
      String zone,
      boolean snat,
      List<DhcpRange> dhcpRanges,
      String digest,
      JsonNode raw) {
    public static Subnet from(JsonNode n) {
      List<DhcpRange> ranges = new ArrayList<>();
      for (JsonNode r : Lenient.array(n, "dhcp-range")) {
        if (r.isObject()) {
          ranges.add(
              new DhcpRange(Lenient.text(r, "start-address"), Lenient.text(r, "end-address")));
        } else if (r.isString()) {
          PropertyString ps = PropertyString.parse(r.asString());
          ranges.add(new DhcpRange(ps.get("start-address"), ps.get("end-address")));
        }
      }
      String id = Lenient.text(n, "subnet");
      return new Subnet(
          id != null ? id : Lenient.text(n, "id"),
          Lenient.text(n, "cidr"),
          Lenient.text(n, "network"),
          Lenient.intValue(n, "mask"),
          Lenient.text(n, "gateway"),
          Lenient.text(n, "vnet"),
          Lenient.text(n, "zone"),
          Lenient.bool(n, "snat"),
          List.copyOf(ranges),
          Lenient.text(n, "digest"),
          n);
    }
  }

  /** A DHCP address range. */
  public record DhcpRange(String start, String end) {}
}
