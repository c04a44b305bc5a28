package dev.nimbus.proxmox.provider;

import dev.nimbus.model.Attributes;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.Normalize;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.model.DiskDevice;
import dev.nimbus.proxmox.client.model.Firewall;
import dev.nimbus.proxmox.client.model.GuestAgent;
import dev.nimbus.proxmox.client.model.GuestConfig;
import dev.nimbus.proxmox.client.model.IpConfig;
import dev.nimbus.proxmox.client.model.NetDevice;
import dev.nimbus.proxmox.client.model.NodeNetworkInterface;
import dev.nimbus.proxmox.client.model.NodeStatus;
import dev.nimbus.proxmox.client.model.NodeSummary;
import dev.nimbus.proxmox.client.model.PendingChange;
import dev.nimbus.proxmox.client.model.Pool;
import dev.nimbus.proxmox.client.model.Sdn;
import dev.nimbus.proxmox.client.model.StorageConfig;
import dev.nimbus.proxmox.client.model.VersionInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps what the Proxmox API returns onto semantic CIs. Pure functions of their inputs, so every
 * mapping rule is unit-testable without a cluster. Volatile values (usage, uptime, counters, locks
 * held during a backup, config digests) are left out of the CI content on purpose: they would make
 * every run look like a change.
 */
final class ProxmoxMapper {
  /**
   * Storage types that are reachable from every node whatever storage.cfg's {@code shared} says.
   */
  private static final Set<String> INHERENTLY_SHARED =
      Set.of(
          "rbd",
          "cephfs",
          "nfs",
          "cifs",
          "pbs",
          "glusterfs",
          "iscsi",
          "iscsidirect",
          "zfs",
          "esxi");

  private final CiFactory factory;

  ProxmoxMapper(CiFactory factory) {
    this.factory = factory;
  }

  static boolean isShared(StorageConfig config) {
    return config.shared() || INHERENTLY_SHARED.contains(config.type());
  }

  ConfigurationItem tenancy(
      String clusterName,
      boolean standalone,
      VersionInfo version,
      Collection<String> nodeNames,
      Firewall.Options firewallOptions) {
    var edges = factory.edges();
    if (firewallOptions != null) {
      edges.add(RelationshipKind.PROTECTED_BY, ProxmoxKeys.clusterFirewall());
    }
    return factory.ci(
        ProxmoxKeys.TENANCY,
        SemanticType.TENANCY,
        standalone ? "standalone-node" : "cluster",
        clusterName,
        ProxmoxKeys.SCOPE_CLUSTER,
        Attributes.builder()
            .put("clusterName", clusterName)
            .put("standalone", standalone)
            .put("version", version.version())
            .put("release", version.release())
            .put("nodes", new TreeSet<>(nodeNames).stream().toList())
            .build(),
        edges);
  }

  ConfigurationItem node(
      ClusterResource row, NodeSummary summary, NodeStatus status, String ip, boolean hasRules) {
    String name = row.node();
    var edges = factory.edges().inTenancy();
    if (hasRules) {
      edges.add(RelationshipKind.PROTECTED_BY, ProxmoxKeys.nodeFirewall(name));
    }
    var attrs =
        Attributes.builder()
            .put("node", name)
            .put("status", row.status())
            .put("cpus", row.maxcpu())
            .put("memoryBytes", row.maxmem())
            .put("supportLevel", row.level())
            .put("ip", ip);
    if (summary != null) {
      attrs.put("sslFingerprint", summary.sslFingerprint());
    }
    if (status != null) {
      attrs
          .put("pveVersion", status.pveversion())
          .put("kernel", status.kversion())
          .put("cpuModel", status.cpuModel())
          .put("cpuSockets", status.cpuSockets());
    }
    return factory.ci(
        ProxmoxKeys.node(name),
        SemanticType.HOST,
        "node",
        name,
        ProxmoxKeys.SCOPE_CLUSTER,
        attrs.build(),
        edges);
  }

  ConfigurationItem pool(Pool pool) {
    String parent = ProxmoxKeys.parentPool(pool.poolid());
    var edges = factory.edges();
    if (parent == null) {
      edges.inTenancy();
    } else {
      edges.add(RelationshipKind.CONTAINED_IN, ProxmoxKeys.pool(parent));
    }
    return factory.ci(
        ProxmoxKeys.pool(pool.poolid()),
        SemanticType.COMPARTMENT,
        "pool",
        pool.poolid(),
        ProxmoxKeys.SCOPE_POOLS,
        Attributes.builder()
            .put("poolId", pool.poolid())
            .put("comment", blankToNull(pool.comment()))
            .put("parent", parent)
            .build(),
        edges);
  }

  /** A shared storage (once per cluster) or a local one on {@code node} (once per node). */
  ConfigurationItem storage(StorageConfig config, String node) {
    boolean shared = node == null;
    var edges = factory.edges().inTenancy();
    if (!shared) {
      edges.add(RelationshipKind.LOCATED_ON, ProxmoxKeys.node(node));
    }
    return factory.ci(
        shared
            ? ProxmoxKeys.sharedStorage(config.storage())
            : ProxmoxKeys.localStorage(node, config.storage()),
        SemanticType.STORAGE,
        config.type(),
        config.storage(),
        shared ? ProxmoxKeys.SCOPE_STORAGE : ProxmoxKeys.nodeScope(node),
        Attributes.builder()
            .put("storage", config.storage())
            .put("type", config.type())
            .put("shared", shared)
            .put("enabled", !config.disabled())
            .put("content", sorted(config.content()))
            .put("nodes", config.nodes() == null ? null : sorted(config.nodes()))
            .put("node", node)
            .put("path", config.path())
            .put("server", config.server())
            .put("pool", config.pool())
            .put("datastore", config.datastore())
            .put("fingerprint", config.fingerprint())
            .build(),
        edges);
  }

  ConfigurationItem bridge(String node, NodeNetworkInterface iface) {
    boolean ovs = "OVSBridge".equals(iface.type());
    return factory.ci(
        ProxmoxKeys.bridge(node, iface.iface()),
        SemanticType.NETWORK,
        ovs ? "ovs-bridge" : "linux-bridge",
        iface.iface(),
        ProxmoxKeys.nodeScope(node),
        Attributes.builder()
            .put("iface", iface.iface())
            .put("type", iface.type())
            .put("node", node)
            .put("vlanAware", iface.bridgeVlanAware())
            .put("vlanIds", blankToNull(iface.bridgeVids()))
            .put("ports", sorted(ovs ? iface.ovsPorts() : iface.bridgePorts()))
            .put("cidr", iface.cidr())
            .put("cidr6", iface.cidr6())
            .put("gateway", iface.gateway())
            .put("gateway6", iface.gateway6())
            .put("mtu", iface.mtu())
            .put("autostart", iface.autostart())
            .put("comments", blankToNull(iface.comments()))
            .build(),
        factory.edges().inTenancy().add(RelationshipKind.LOCATED_ON, ProxmoxKeys.node(node)));
  }

  ConfigurationItem sdnZone(Sdn.Zone zone) {
    return factory.ci(
        ProxmoxKeys.sdnZone(zone.zone()),
        SemanticType.NETWORK,
        "sdn-zone",
        zone.zone(),
        ProxmoxKeys.SCOPE_SDN,
        Attributes.builder()
            .put("zone", zone.zone())
            .put("type", zone.type())
            .put("bridge", zone.bridge())
            .put("ipam", zone.ipam())
            .put("dhcp", zone.dhcp())
            .put("mtu", zone.mtu())
            .put("nodes", zone.nodes() == null ? null : sorted(zone.nodes()))
            .build(),
        factory.edges().inTenancy());
  }

  ConfigurationItem sdnVnet(Sdn.Vnet vnet, List<Sdn.Subnet> subnets, boolean hasRules) {
    var edges = factory.edges().inTenancy();
    if (vnet.zone() != null) {
      edges.add(RelationshipKind.ATTACHED_TO, ProxmoxKeys.sdnZone(vnet.zone()));
    }
    if (hasRules) {
      edges.add(RelationshipKind.PROTECTED_BY, ProxmoxKeys.vnetFirewall(vnet.vnet()));
    }
    List<Map<String, Object>> subnetAttrs = new ArrayList<>();
    for (Sdn.Subnet s : subnets) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cidr", s.cidr());
      m.put("gateway", s.gateway());
      m.put("snat", s.snat());
      m.put(
          "dhcpRanges",
          s.dhcpRanges() == null
              ? null
              : s.dhcpRanges().stream().map(r -> r.start() + "-" + r.end()).sorted().toList());
      subnetAttrs.add(m);
    }
    subnetAttrs.sort(
        (a, b) -> String.valueOf(a.get("cidr")).compareTo(String.valueOf(b.get("cidr"))));
    return factory.ci(
        ProxmoxKeys.sdnVnet(vnet.vnet()),
        SemanticType.NETWORK,
        "sdn-vnet",
        vnet.alias() == null || vnet.alias().isBlank() ? vnet.vnet() : vnet.alias(),
        ProxmoxKeys.SCOPE_SDN,
        Attributes.builder()
            .put("vnet", vnet.vnet())
            .put("zone", vnet.zone())
            .put("tag", vnet.tag())
            .put("alias", blankToNull(vnet.alias()))
            .put("vlanAware", vnet.vlanaware())
            .put("isolatePorts", vnet.isolatePorts())
            .put("subnets", subnetAttrs)
            .build(),
        edges);
  }

  ConfigurationItem clusterFirewall(
      Firewall.Options options,
      List<Firewall.Rule> rules,
      List<Firewall.Alias> aliases,
      Map<String, List<Firewall.IpSetEntry>> ipsets) {
    List<Map<String, Object>> aliasAttrs =
        aliases.stream()
            .sorted((a, b) -> a.name().compareTo(b.name()))
            .map(
                a -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("name", a.name());
                  m.put("cidr", a.cidr());
                  m.put("comment", blankToNull(a.comment()));
                  return m;
                })
            .toList();
    Map<String, Object> ipsetAttrs = new LinkedHashMap<>();
    ipsets.forEach(
        (name, entries) ->
            ipsetAttrs.put(
                name,
                entries.stream().map(e -> (e.nomatch() ? "!" : "") + e.cidr()).sorted().toList()));
    return factory.ci(
        ProxmoxKeys.clusterFirewall(),
        SemanticType.SECURITY_GROUP,
        "cluster-firewall",
        "Datacenter firewall",
        ProxmoxKeys.SCOPE_FIREWALL,
        Attributes.builder()
            .put("enabled", options == null ? null : options.enabled())
            .put("policyIn", options == null ? null : options.policyIn())
            .put("policyOut", options == null ? null : options.policyOut())
            .put("policyForward", options == null ? null : options.policyForward())
            .put("rules", rules(rules))
            .put("aliases", aliasAttrs)
            .put("ipsets", ipsetAttrs)
            .build(),
        groupEdges(rules, factory.edges().inTenancy()));
  }

  ConfigurationItem securityGroup(Firewall.Group group, List<Firewall.Rule> rules) {
    return factory.ci(
        ProxmoxKeys.securityGroup(group.group()),
        SemanticType.SECURITY_GROUP,
        "security-group",
        group.group(),
        ProxmoxKeys.SCOPE_FIREWALL,
        Attributes.builder()
            .put("group", group.group())
            .put("comment", blankToNull(group.comment()))
            .put("rules", rules(rules))
            .build(),
        factory.edges().inTenancy());
  }

  ConfigurationItem ruleSet(
      String nativeKey, String providerType, String name, String scope, List<Firewall.Rule> rules) {
    return factory.ci(
        nativeKey,
        SemanticType.SECURITY_GROUP,
        providerType,
        name,
        scope,
        Attributes.builder().put("rules", rules(rules)).build(),
        groupEdges(rules, factory.edges().inTenancy()));
  }

  /** What a guest's CI holds; the parts read through extra calls may be absent. */
  record GuestInputs(
      ClusterResource row,
      GuestConfig config,
      List<GuestAgent.Interface> interfaces,
      boolean hasRuleSet,
      Set<String> referencedGroups,
      Map<String, Boolean> sharedStorage,
      Set<String> vnets,
      List<PendingChange> pending) {}

  ConfigurationItem guest(GuestInputs in) {
    ClusterResource row = in.row();
    GuestConfig config = in.config();
    String node = row.node();
    var edges = factory.edges().inTenancy().add(RelationshipKind.RUNS_ON, ProxmoxKeys.node(node));
    if (row.pool() != null && !row.pool().isBlank()) {
      edges.add(RelationshipKind.MEMBER_OF, ProxmoxKeys.pool(row.pool()));
    }
    if (in.hasRuleSet()) {
      edges.add(RelationshipKind.PROTECTED_BY, ProxmoxKeys.guestFirewall(row.vmid()));
    }
    for (String group : in.referencedGroups()) {
      edges.add(RelationshipKind.PROTECTED_BY, ProxmoxKeys.securityGroup(group));
    }
    var attrs = Attributes.builder();
    RowSignature.putRowAttributes(attrs, row);
    if (config != null) {
      attrs
          .put("cores", config.cores())
          .put("sockets", config.sockets())
          .put("cpuLimit", config.cpulimit())
          .put("memoryMiB", config.memoryMiB())
          .put("balloonMiB", config.balloonMiB())
          .put("swapMiB", config.swapMiB())
          .put("osType", config.ostype())
          .put("arch", config.arch())
          .put("onBoot", config.onboot())
          .put("agentEnabled", config.agent() != null && config.agent().enabled())
          .put("description", blankToNull(config.description()));
      List<Map<String, Object>> disks = new ArrayList<>();
      long totalDisk = 0;
      if (config.rootfs() != null) {
        disks.add(disk("rootfs", config.rootfs()));
        totalDisk += sizeOf(config.rootfs());
        storedOn(edges, "rootfs", config.rootfs(), node, in.sharedStorage());
      }
      for (var e : config.disks().entrySet()) {
        disks.add(disk(e.getKey(), e.getValue()));
        if (!e.getValue().isCdrom()) {
          totalDisk += sizeOf(e.getValue());
        }
        storedOn(edges, e.getKey(), e.getValue(), node, in.sharedStorage());
      }
      for (var e : config.mountPoints().entrySet()) {
        disks.add(disk(e.getKey(), e.getValue()));
        totalDisk += sizeOf(e.getValue());
        storedOn(edges, e.getKey(), e.getValue(), node, in.sharedStorage());
      }
      attrs.put("disks", disks).put("diskBytes", totalDisk);
      List<Map<String, Object>> nics = new ArrayList<>();
      for (var e : config.nets().entrySet()) {
        NetDevice net = e.getValue();
        nics.add(nic(e.getKey(), net));
        if (net.bridge() != null && !net.bridge().isBlank()) {
          String target =
              in.vnets().contains(net.bridge())
                  ? ProxmoxKeys.sdnVnet(net.bridge())
                  : ProxmoxKeys.bridge(node, net.bridge());
          edges.add(RelationshipKind.ATTACHED_TO, target, e.getKey());
        }
      }
      attrs.put("nics", nics);
      List<Map<String, Object>> ipConfigs = new ArrayList<>();
      for (var e : config.ipConfigs().entrySet()) {
        IpConfig ip = e.getValue();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.getKey());
        m.put("ip", ip.ip());
        m.put("gw", ip.gw());
        m.put("ip6", ip.ip6());
        m.put("gw6", ip.gw6());
        ipConfigs.add(m);
      }
      attrs.put("cloudInitIpConfig", ipConfigs.isEmpty() ? null : ipConfigs);
      if (!config.lxcKeys().isEmpty()) {
        attrs.put(
            "lxcRawKeys",
            config.lxcKeys().stream().map(k -> k.key() + "=" + k.value()).sorted().toList());
      }
      attrs.put("ipAddresses", ipAddresses(config, in.interfaces()));
      attrs.put("pending", pending(in.pending()));
    } else {
      // Only the resources row is known (the node is offline, or the config could not be read).
      attrs.put("configUnavailable", true).put("diskBytes", row.maxdisk());
    }
    return factory.ci(
        ProxmoxKeys.guest(row.type(), row.vmid()),
        SemanticType.COMPUTE,
        row.type(),
        RowSignature.name(row),
        ProxmoxKeys.nodeScope(node),
        attrs.build(),
        edges);
  }

  /**
   * What a running guest gets at its next restart: each pending key with its new value, or {@code
   * delete} when the key goes away. Null when nothing is pending, so a guest without pending
   * changes has no such attribute. The digest is a checksum of the file, not a setting.
   */
  static List<Map<String, Object>> pending(List<PendingChange> pending) {
    if (pending == null || pending.isEmpty()) {
      return null;
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (PendingChange p : pending) {
      if (p.key() == null || "digest".equals(p.key()) || !p.isPending()) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", p.key());
      m.put("value", p.delete() > 0 ? null : p.pending());
      m.put("delete", p.delete() > 0 ? Boolean.TRUE : null);
      out.add(m);
    }
    out.sort((a, b) -> String.valueOf(a.get("key")).compareTo(String.valueOf(b.get("key"))));
    return out.isEmpty() ? null : out;
  }

  private static void storedOn(
      CiFactory.Edges edges,
      String slot,
      DiskDevice disk,
      String node,
      Map<String, Boolean> sharedStorage) {
    String storage = disk.storage();
    if (storage == null || storage.isBlank() || "none".equals(disk.volume())) {
      return;
    }
    Boolean shared = sharedStorage.get(storage);
    if (shared == null) {
      // A volume on a storage that storage.cfg does not list (a raw path or a removed storage).
      return;
    }
    edges.add(
        RelationshipKind.STORED_ON,
        shared ? ProxmoxKeys.sharedStorage(storage) : ProxmoxKeys.localStorage(node, storage),
        slot);
  }

  private static long sizeOf(DiskDevice d) {
    return d.sizeBytes() == null ? 0 : d.sizeBytes();
  }

  private static Map<String, Object> disk(String slot, DiskDevice d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("slot", slot);
    m.put("storage", d.storage());
    m.put("volume", d.volume());
    m.put("sizeBytes", d.sizeBytes());
    m.put("media", d.media());
    m.put("mountPoint", d.mountPoint());
    m.put("format", d.format());
    return m;
  }

  private static Map<String, Object> nic(String slot, NetDevice n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("slot", slot);
    m.put("name", n.name());
    m.put("model", n.model());
    m.put("mac", Normalize.mac(n.macaddr()));
    m.put("bridge", n.bridge());
    m.put("vlanTag", n.tag());
    m.put("firewall", n.firewall());
    m.put("rateMBps", n.rate());
    m.put("linkDown", n.linkDown() ? Boolean.TRUE : null);
    m.put("mtu", n.mtu());
    m.put("ip", n.ip());
    m.put("ip6", n.ip6());
    m.put("gw", n.gw());
    return m;
  }

  /**
   * Addresses a user would look a guest up by: what the guest agent or the container reports
   * (loopback and link-local left out), plus static cloud-init and container addresses.
   */
  static List<String> ipAddresses(GuestConfig config, List<GuestAgent.Interface> interfaces) {
    TreeSet<String> out = new TreeSet<>();
    if (interfaces != null) {
      for (GuestAgent.Interface iface : interfaces) {
        if (iface.addresses() == null || "lo".equals(iface.name())) {
          continue;
        }
        for (GuestAgent.IpAddress a : iface.addresses()) {
          addAddress(out, a.address());
        }
      }
    }
    for (IpConfig ip : config.ipConfigs().values()) {
      addAddress(out, ip.ip());
      addAddress(out, ip.ip6());
    }
    for (NetDevice net : config.nets().values()) {
      addAddress(out, net.ip());
      addAddress(out, net.ip6());
    }
    return List.copyOf(out);
  }

  private static void addAddress(Set<String> out, String raw) {
    if (raw == null || raw.isBlank()) {
      return;
    }
    String address = raw.contains("/") ? raw.substring(0, raw.indexOf('/')) : raw;
    String lower = address.toLowerCase(Locale.ROOT);
    // "dhcp", "auto" and "manual" are methods, not addresses.
    if (!lower.contains(".") && !lower.contains(":")) {
      return;
    }
    if (lower.startsWith("127.") || lower.equals("::1") || lower.startsWith("fe80:")) {
      return;
    }
    out.add(lower);
  }

  static List<Map<String, Object>> rules(List<Firewall.Rule> rules) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Firewall.Rule r :
        rules.stream().sorted((a, b) -> Integer.compare(a.pos(), b.pos())).toList()) {
      // Firewall rules are ordered: position matters, so the list is not sorted otherwise.
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pos", r.pos());
      m.put("type", r.type());
      m.put("action", r.action());
      m.put("macro", r.macro());
      m.put("source", r.source());
      m.put("dest", r.dest());
      m.put("proto", r.proto());
      m.put("dport", r.dport());
      m.put("sport", r.sport());
      m.put("iface", r.iface());
      m.put("icmpType", r.icmpType());
      m.put("enabled", r.enabled());
      m.put("log", r.log());
      m.put("comment", blankToNull(r.comment()));
      out.add(m);
    }
    return out;
  }

  /** The security groups a rule list pulls in (rules of type {@code group}). */
  static Set<String> referencedGroups(List<Firewall.Rule> rules) {
    TreeSet<String> groups = new TreeSet<>();
    for (Firewall.Rule r : rules) {
      if ("group".equals(r.type()) && r.action() != null) {
        groups.add(r.action());
      }
    }
    return groups;
  }

  private CiFactory.Edges groupEdges(List<Firewall.Rule> rules, CiFactory.Edges edges) {
    for (String group : referencedGroups(rules)) {
      edges.add(RelationshipKind.PROTECTED_BY, ProxmoxKeys.securityGroup(group));
    }
    return edges;
  }

  private static List<String> sorted(Collection<String> values) {
    return values == null ? List.of() : new TreeSet<>(values).stream().toList();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
