package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SDN (zones, vnets, subnets) and firewall (cluster, node, guest, VNet levels) endpoints. */
final class NetworkEndpoints {
  private final Cluster cluster;

  NetworkEndpoints(Cluster cluster) {
    this.cluster = cluster;
  }

  void register(Router r) {
    r.get("/cluster/sdn/zones", c -> cluster.read(() -> zones(c)));
    r.get("/cluster/sdn/vnets", c -> cluster.read(() -> vnets(c)));
    r.get("/cluster/sdn/vnets/{vnet}/subnets", c -> cluster.read(() -> subnets(c)));
    if (cluster.version.hasVnetFirewall()) {
      r.get("/cluster/sdn/vnets/{vnet}/firewall/rules", c -> cluster.read(() -> vnetRules(c)));
    }
    r.get(
        "/cluster/firewall/rules",
        c ->
            cluster.read(
                () -> {
                  c.require("/", "Sys.Audit");
                  return rules(cluster.firewall.rules, "cluster");
                }));
    r.get("/cluster/firewall/groups", c -> cluster.read(this::groups));
    r.get("/cluster/firewall/groups/{group}", c -> cluster.read(() -> group(c)));
    r.get("/cluster/firewall/aliases", c -> cluster.read(() -> aliases(c)));
    r.get("/cluster/firewall/ipset", c -> cluster.read(() -> ipsets(c)));
    r.get("/cluster/firewall/ipset/{name}", c -> cluster.read(() -> ipset(c)));
    r.get(
        "/cluster/firewall/options",
        c ->
            cluster.read(
                () -> {
                  c.require("/", "Sys.Audit");
                  Map<String, Object> out = new LinkedHashMap<>(cluster.firewall.options);
                  out.put("digest", Digests.sha1("cluster.fw options " + cluster.firewall.options));
                  return out;
                }));
    r.add("PUT", "/cluster/firewall/options", this::setClusterOptions);
    r.get(
        "/nodes/{node}/firewall/rules",
        c ->
            cluster.read(
                () -> {
                  Node n = ClusterEndpoints.node(c);
                  c.require("/nodes/" + n.name(), "Sys.Audit");
                  return rules(n.firewallRules, "host " + n.name());
                }));
    for (GuestType type : GuestType.values()) {
      String base = "/nodes/{node}/" + type.apiName() + "/{vmid}/firewall";
      r.get(
          base + "/rules",
          c ->
              cluster.read(
                  () -> {
                    Guest g = guest(c, type);
                    c.require("/vms/" + g.vmid(), "VM.Audit");
                    return rules(g.firewallRules, "vm " + g.vmid());
                  }));
      r.get(
          base + "/options",
          c ->
              cluster.read(
                  () -> {
                    Guest g = guest(c, type);
                    c.require("/vms/" + g.vmid(), "VM.Audit");
                    Map<String, Object> out = new LinkedHashMap<>(g.firewallOptions);
                    out.put(
                        "digest", Digests.sha1("vm fw options " + g.vmid() + g.firewallOptions));
                    return out;
                  }));
    }
  }

  private Guest guest(Call c, GuestType type) {
    Node node = ClusterEndpoints.node(c);
    Guest g = cluster.guests.get(c.vmid());
    if (g == null || g.type() != type || !g.node.equals(node.name())) {
      throw new ApiException(
          500,
          "Configuration file 'nodes/"
              + node.name()
              + "/"
              + (type == GuestType.QEMU ? "qemu-server" : "lxc")
              + "/"
              + c.var("vmid")
              + ".conf' does not exist");
    }
    return g;
  }

  static List<Object> rules(List<FirewallRule> rules, String scope) {
    String digest = Digests.sha1(scope + rules);
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      out.add(rules.get(i).toRow(i, digest));
    }
    return out;
  }

  private Object setClusterOptions(Call c) {
    c.require("/", "Sys.Modify");
    return cluster.write(
        () -> {
          String digest = c.param("digest");
          String current = Digests.sha1("cluster.fw options " + cluster.firewall.options);
          if (digest != null && !digest.equals(current)) {
            throw new ApiException(
                500, "detected modified configuration - file changed by other user? Try again.");
          }
          for (String key :
              List.of("enable", "ebtables", "policy_in", "policy_out", "log_ratelimit")) {
            String v = c.param(key);
            if (v != null) {
              cluster.firewall.options.put(
                  key,
                  key.equals("enable") || key.equals("ebtables")
                      ? (Object) Integer.parseInt(v)
                      : v);
            }
          }
          if (c.param("delete") != null) {
            for (String k : c.param("delete").split(",")) {
              cluster.firewall.options.remove(k.trim());
            }
          }
          return null;
        });
  }

  private Object groups() {
    List<Object> out = new ArrayList<>();
    for (ClusterFirewall.Group g : cluster.firewall.groups.values()) {
      Map<String, Object> row =
          ClusterEndpoints.row(
              "group",
              g.name(),
              "digest",
              Digests.sha1("groups" + cluster.firewall.groups.keySet()));
      if (g.comment() != null) {
        row.put("comment", g.comment());
      }
      out.add(row);
    }
    return out;
  }

  private Object group(Call c) {
    c.require("/", "Sys.Audit");
    ClusterFirewall.Group g = cluster.firewall.groups.get(c.var("group"));
    if (g == null) {
      throw new ApiException(500, "no such security group '" + c.var("group") + "'");
    }
    return rules(g.rules(), "group " + g.name());
  }

  private Object aliases(Call c) {
    c.require("/", "Sys.Audit");
    String digest = Digests.sha1("aliases" + cluster.firewall.aliases);
    List<Object> out = new ArrayList<>();
    for (ClusterFirewall.Alias a : cluster.firewall.aliases) {
      Map<String, Object> row =
          ClusterEndpoints.row(
              "name",
              a.name(),
              "cidr",
              a.cidr(),
              "ipversion",
              a.cidr().contains(":") ? 6 : 4,
              "digest",
              digest);
      if (a.comment() != null) {
        row.put("comment", a.comment());
      }
      out.add(row);
    }
    return out;
  }

  private Object ipsets(Call c) {
    c.require("/", "Sys.Audit");
    String digest = Digests.sha1("ipsets" + cluster.firewall.ipsets.keySet());
    List<Object> out = new ArrayList<>();
    for (ClusterFirewall.IpSet s : cluster.firewall.ipsets.values()) {
      Map<String, Object> row = ClusterEndpoints.row("name", s.name(), "digest", digest);
      if (s.comment() != null) {
        row.put("comment", s.comment());
      }
      out.add(row);
    }
    return out;
  }

  private Object ipset(Call c) {
    c.require("/", "Sys.Audit");
    ClusterFirewall.IpSet s = cluster.firewall.ipsets.get(c.var("name"));
    if (s == null) {
      throw new ApiException(500, "no such IPSet '" + c.var("name") + "'");
    }
    String digest = Digests.sha1("ipset " + s);
    List<Object> out = new ArrayList<>();
    for (ClusterFirewall.IpSetEntry e : s.entries()) {
      Map<String, Object> row = ClusterEndpoints.row("cidr", e.cidr(), "digest", digest);
      if (e.comment() != null) {
        row.put("comment", e.comment());
      }
      if (e.nomatch()) {
        row.put("nomatch", 1);
      }
      out.add(row);
    }
    return out;
  }

  private Object zones(Call c) {
    List<Object> out = new ArrayList<>();
    String type = c.param("type");
    for (Sdn.Zone z : cluster.zones.values()) {
      if ((type != null && !type.equals(z.type()))
          || !c.can("/sdn/zones/" + z.zone(), "SDN.Audit")) {
        continue;
      }
      Map<String, Object> row = ClusterEndpoints.row("zone", z.zone(), "type", z.type());
      row.putAll(z.properties());
      if (!cluster.version.atLeast(PveVersion.V8_1)) {
        row.remove("dhcp"); // DHCP in SDN arrived with 8.1
      }
      row.put("digest", Digests.sha1("zones.cfg" + cluster.zones));
      out.add(row);
    }
    return out;
  }

  private Object vnets(Call c) {
    List<Object> out = new ArrayList<>();
    for (Sdn.Vnet v : cluster.vnets.values()) {
      if (!c.can("/sdn/zones/" + v.zone() + "/" + v.vnet(), "SDN.Audit")) {
        continue;
      }
      Map<String, Object> row =
          ClusterEndpoints.row("vnet", v.vnet(), "type", "vnet", "zone", v.zone());
      if (v.tag() != null) {
        row.put("tag", v.tag());
      }
      if (v.vlanaware()) {
        row.put("vlanaware", 1);
      }
      if (v.alias() != null) {
        row.put("alias", v.alias());
      }
      if (cluster.version.atLeast(PveVersion.V8_4)) {
        row.put("isolate-ports", 0);
      }
      row.put("digest", Digests.sha1("vnets.cfg" + cluster.vnets));
      out.add(row);
    }
    return out;
  }

  private Sdn.Vnet vnet(Call c) {
    Sdn.Vnet v = cluster.vnets.get(c.var("vnet"));
    if (v == null) {
      throw new ApiException(500, "sdn vnet '" + c.var("vnet") + "' does not exist");
    }
    c.require("/sdn/zones/" + v.zone() + "/" + v.vnet(), "SDN.Audit");
    return v;
  }

  private Object subnets(Call c) {
    Sdn.Vnet v = vnet(c);
    List<Object> out = new ArrayList<>();
    for (Sdn.Subnet s : cluster.subnets) {
      if (!s.vnet().equals(v.vnet())) {
        continue;
      }
      String[] cidr = s.cidr().split("/");
      Map<String, Object> row =
          ClusterEndpoints.row(
              "subnet", s.id(), "id", s.id(), "cidr", s.cidr(), "network", cidr[0], "mask", cidr[1],
              "type", "subnet", "vnet", s.vnet(), "zone", s.zone());
      if (s.gateway() != null) {
        row.put("gateway", s.gateway());
      }
      if (s.snat()) {
        row.put("snat", 1);
      }
      if (s.dhcpStart() != null && cluster.version.atLeast(PveVersion.V8_1)) {
        row.put(
            "dhcp-range",
            List.of(
                ClusterEndpoints.row("start-address", s.dhcpStart(), "end-address", s.dhcpEnd())));
      }
      row.put("digest", Digests.sha1("subnets.cfg" + cluster.subnets));
      out.add(row);
    }
    return out;
  }

  private Object vnetRules(Call c) {
    Sdn.Vnet v = vnet(c);
    return rules(v.rules(), "vnet " + v.vnet());
  }
}
