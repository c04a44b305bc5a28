package dev.nimbus.proxmox.provider;

import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.Relationship;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.model.ClusterStatusEntry;
import dev.nimbus.proxmox.client.model.Firewall;
import dev.nimbus.proxmox.client.model.NodeNetworkInterface;
import dev.nimbus.proxmox.client.model.NodeSummary;
import dev.nimbus.proxmox.client.model.Sdn;
import dev.nimbus.proxmox.client.model.StorageConfig;
import dev.nimbus.proxmox.client.model.VersionInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The assembly half of a discovery run: the CIs it saw, built from what the calls answered and, for
 * every call that failed, from what the previous CIs held ({@link PreviousCis}). Safe for the run's
 * parallel guest reads.
 */
final class SnapshotAssembly {
  private final ProxmoxMapper mapper;
  private final PreviousCis previous;
  private final ScopeBook book;
  private final Map<String, ConfigurationItem> items = new ConcurrentHashMap<>();

  SnapshotAssembly(ProxmoxMapper mapper, PreviousCis previous, ScopeBook book) {
    this.mapper = mapper;
    this.previous = previous;
    this.book = book;
  }

  /** The CIs assembled so far, by native key (a live view). */
  Map<String, ConfigurationItem> items() {
    return items;
  }

  /**
   * What was read from a node that became unreachable during the run is not trusted: its CIs keep
   * their last known content and are marked unreachable.
   */
  void distrustUnreachableScopes() {
    for (String key : List.copyOf(items.keySet())) {
      ConfigurationItem ci = items.get(key);
      if (book.isUnreachable(ci.scope()) && ci.status() != CiStatus.UNREACHABLE) {
        ConfigurationItem before = previous.get(key);
        items.put(key, (before != null ? before : ci).withStatus(CiStatus.UNREACHABLE));
      }
    }
  }

  void tenancy(
      List<ClusterStatusEntry> statusEntries,
      VersionInfo version,
      Set<String> nodeNames,
      ClusterReads.FirewallData fw) {
    String clusterName;
    boolean standalone;
    ConfigurationItem before = previous.get(ProxmoxKeys.TENANCY);
    if (statusEntries != null) {
      clusterName = clusterName(statusEntries, nodeNames);
      standalone = statusEntries.stream().noneMatch(ClusterStatusEntry::isCluster);
    } else if (before != null) {
      // One failed /cluster/status must not rename the tenancy or make it a standalone node.
      clusterName = String.valueOf(before.attributes().get("clusterName"));
      standalone = Boolean.TRUE.equals(before.attributes().get("standalone"));
    } else {
      clusterName = nodeNames.size() == 1 ? nodeNames.iterator().next() : "proxmox";
      standalone = nodeNames.size() == 1;
    }
    boolean optionsKnown = fw != null && fw.options() != null;
    ConfigurationItem ci =
        mapper.tenancy(
            clusterName, standalone, version, nodeNames, optionsKnown ? fw.options() : null);
    if (statusEntries == null && before != null) {
      ci = withProviderType(ci, before.providerType());
    }
    if (!optionsKnown) {
      ci = previous.keep(ci, Set.of(), PreviousCis.kind(RelationshipKind.PROTECTED_BY));
    }
    put(ci);
  }

  void host(
      ClusterResource row,
      ClusterReads.NodeData data,
      Map<String, NodeSummary> summaries,
      boolean summariesFailed,
      Map<String, String> nodeIps,
      boolean statusFailed) {
    String node = row.node();
    String key = ProxmoxKeys.node(node);
    if (data == null || book.isUnreachable(ProxmoxKeys.nodeScope(node))) {
      // An offline node keeps its last known facts; one never seen is created from its row.
      putUnreachable(previous.unreachable(mapper.node(row, null, null, nodeIps.get(node), false)));
      return;
    }
    ConfigurationItem ci =
        mapper.node(
            row,
            summaries.get(node),
            data.status(),
            nodeIps.get(node),
            data.firewallRules() != null && !data.firewallRules().isEmpty());
    Set<String> keep = new TreeSet<>();
    if (data.status() == null) {
      keep.addAll(Set.of("pveVersion", "kernel", "cpuModel", "cpuSockets"));
    }
    if (summariesFailed) {
      keep.add("sslFingerprint");
    }
    if (statusFailed) {
      keep.add("ip");
    }
    ConfigurationItem kept =
        data.firewallRules() == null
            ? previous.keep(ci, keep, PreviousCis.kind(RelationshipKind.PROTECTED_BY))
            : previous.keep(ci, keep);
    put(kept);
  }

  void addNodeContent(String node, ClusterReads.NodeData data) {
    if (data == null) {
      return;
    }
    if (data.network() != null) {
      for (NodeNetworkInterface iface : data.network()) {
        if (iface != null && iface.iface() != null && iface.isBridge()) {
          put(mapper.bridge(node, iface));
        }
      }
    } else {
      keepFamily("network/" + node + "/");
    }
    if (data.firewallRules() != null) {
      if (!data.firewallRules().isEmpty()) {
        put(
            mapper.ruleSet(
                ProxmoxKeys.nodeFirewall(node),
                "node-firewall",
                "Node " + node + " firewall",
                ProxmoxKeys.nodeScope(node),
                data.firewallRules()));
      }
    } else {
      keepOne(ProxmoxKeys.nodeFirewall(node));
    }
  }

  void addSdn(ClusterReads.SdnData sdn) {
    if (sdn == null) {
      keepFamily("sdn/");
      keepFamily("firewall/vnet/");
      return;
    }
    if (sdn.zones() != null) {
      for (Sdn.Zone z : sdn.zones()) {
        put(mapper.sdnZone(z));
      }
    } else {
      keepFamily("sdn/zone/");
    }
    if (sdn.vnets() == null) {
      keepFamily("sdn/vnet/");
      keepFamily("firewall/vnet/");
      return;
    }
    for (Sdn.Vnet v : sdn.vnets()) {
      String key = ProxmoxKeys.sdnVnet(v.vnet());
      List<Sdn.Subnet> subnets = sdn.subnets().get(v.vnet());
      boolean rulesFailed = sdn.failedVnetRules().contains(v.vnet());
      List<Firewall.Rule> rules = sdn.vnetRules().getOrDefault(v.vnet(), List.of());
      if (subnets == null) {
        // One vnet's subnets failed: that vnet keeps its previous CI, the others go on.
        if (!keepOne(key)) {
          book.failed(ProxmoxKeys.SCOPE_SDN);
        }
        keepOne(ProxmoxKeys.vnetFirewall(v.vnet()));
        continue;
      }
      ConfigurationItem ci = mapper.sdnVnet(v, subnets, !rules.isEmpty());
      if (rulesFailed) {
        ci = previous.keep(ci, Set.of(), PreviousCis.kind(RelationshipKind.PROTECTED_BY));
        keepOne(ProxmoxKeys.vnetFirewall(v.vnet()));
      } else if (!rules.isEmpty()) {
        put(
            mapper.ruleSet(
                ProxmoxKeys.vnetFirewall(v.vnet()),
                "vnet-firewall",
                "VNet " + v.vnet() + " firewall",
                ProxmoxKeys.SCOPE_SDN,
                rules));
      }
      put(ci);
    }
  }

  void addClusterFirewall(ClusterReads.FirewallData fw) {
    String key = ProxmoxKeys.clusterFirewall();
    boolean complete =
        fw.options() != null
            && fw.rules() != null
            && fw.aliases() != null
            && fw.ipsets() != null
            && fw.failedIpsets().isEmpty();
    if (!complete && previous.get(key) == null) {
      // Nothing older to fall back on: wait for a run that reads it whole.
      book.failed(ProxmoxKeys.SCOPE_FIREWALL);
    } else {
      Map<String, List<Firewall.IpSetEntry>> ipsets =
          fw.ipsets() == null ? Map.of() : new TreeMap<>(fw.ipsets());
      ConfigurationItem ci =
          mapper.clusterFirewall(
              fw.options(),
              fw.rules() == null ? List.of() : fw.rules(),
              fw.aliases() == null ? List.of() : fw.aliases(),
              ipsets);
      Set<String> keep = new TreeSet<>();
      if (fw.options() == null) {
        keep.addAll(Set.of("enabled", "policyIn", "policyOut", "policyForward"));
      }
      if (fw.rules() == null) {
        keep.add("rules");
      }
      if (fw.aliases() == null) {
        keep.add("aliases");
      }
      if (fw.ipsets() == null) {
        keep.add("ipsets");
      }
      ci =
          previous.keep(
              ci,
              keep,
              fw.rules() == null ? PreviousCis.kind(RelationshipKind.PROTECTED_BY) : r -> false);
      if (fw.ipsets() != null && !fw.failedIpsets().isEmpty()) {
        ci = keepIpsets(ci, fw.failedIpsets());
      }
      put(ci);
    }
    if (fw.groups() == null) {
      keepFamily("firewall/group/");
      return;
    }
    for (var g : fw.groups().entrySet()) {
      if (g.getValue() == null) {
        if (!keepOne(ProxmoxKeys.securityGroup(g.getKey().group()))) {
          book.failed(ProxmoxKeys.SCOPE_FIREWALL);
        }
      } else {
        put(mapper.securityGroup(g.getKey(), g.getValue()));
      }
    }
  }

  /** The cluster firewall CI with the entries of the IP sets that failed taken from before. */
  @SuppressWarnings("unchecked")
  private ConfigurationItem keepIpsets(ConfigurationItem ci, Set<String> failed) {
    ConfigurationItem before = previous.get(ci.nativeKey());
    Object previousSets = before == null ? null : before.attributes().get("ipsets");
    Map<String, Object> sets =
        ci.attributes().get("ipsets") instanceof Map<?, ?> m
            ? new TreeMap<>((Map<String, Object>) m)
            : new TreeMap<>();
    for (String name : failed) {
      Object old = previousSets instanceof Map<?, ?> pm ? pm.get(name) : null;
      if (old == null) {
        sets.remove(name);
      } else {
        sets.put(name, old);
      }
    }
    Map<String, Object> attrs = new TreeMap<>(ci.attributes().asMap());
    attrs.put("ipsets", sets);
    return new ConfigurationItem(
        ci.id(),
        ci.provider(),
        ci.connection(),
        ci.nativeKey(),
        ci.semanticType(),
        ci.providerType(),
        ci.name(),
        ci.scope(),
        dev.nimbus.model.Attributes.of(attrs),
        ci.relationships(),
        ci.status());
  }

  void addStorage(
      List<StorageConfig> configs, List<ClusterResource> resources, Set<String> onlineNodes) {
    Map<String, StorageConfig> byId = new HashMap<>();
    for (StorageConfig c : configs) {
      if (c == null || c.storage() == null) {
        continue;
      }
      byId.put(c.storage(), c);
      if (ProxmoxMapper.isShared(c)) {
        put(mapper.storage(c, null));
      }
    }
    // A local storage exists once per node it is enabled on; /cluster/resources lists those.
    for (ClusterResource row : resources) {
      if (!"storage".equals(row.type())
          || row.node() == null
          || !onlineNodes.contains(row.node())) {
        continue;
      }
      StorageConfig c = byId.get(row.storage());
      if (c != null && !ProxmoxMapper.isShared(c)) {
        put(mapper.storage(c, row.node()));
      }
    }
  }

  /**
   * Every relationship must point at a CI of this snapshot or at one the CMDB keeps (a CI of a
   * scope this run did not read in full). An edge to anything else is reported and left out, never
   * written dangling.
   */
  void checkRelationships() {
    Set<String> complete = book.complete();
    for (String key : List.copyOf(items.keySet())) {
      ConfigurationItem ci = items.get(key);
      List<Relationship> kept = new ArrayList<>();
      boolean dropped = false;
      for (Relationship r : ci.relationships()) {
        String target = r.targetNativeKey();
        ConfigurationItem before = previous.get(target);
        boolean keptFromBefore =
            before != null && before.status().isLive() && !complete.contains(before.scope());
        if (items.containsKey(target) || keptFromBefore) {
          kept.add(r);
        } else {
          dropped = true;
          book.problem(
              DiscoveryProblem.Kind.DANGLING_RELATIONSHIP,
              key,
              key
                  + " "
                  + r.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                  + " "
                  + target
                  + ", which this run did not find; the edge is left out");
        }
      }
      if (dropped) {
        items.put(
            key,
            new ConfigurationItem(
                ci.id(),
                ci.provider(),
                ci.connection(),
                ci.nativeKey(),
                ci.semanticType(),
                ci.providerType(),
                ci.name(),
                ci.scope(),
                ci.attributes(),
                kept,
                ci.status()));
      }
    }
  }

  static String clusterName(List<ClusterStatusEntry> status, Set<String> nodes) {
    for (ClusterStatusEntry e : status) {
      if (e.isCluster() && e.name() != null) {
        return e.name();
      }
    }
    // A standalone node is a cluster of one, named after the node.
    for (ClusterStatusEntry e : status) {
      if (e.isNode() && e.name() != null) {
        return e.name();
      }
    }
    return nodes.size() == 1 ? nodes.iterator().next() : "proxmox";
  }

  private static ConfigurationItem withProviderType(ConfigurationItem ci, String providerType) {
    return new ConfigurationItem(
        ci.id(),
        ci.provider(),
        ci.connection(),
        ci.nativeKey(),
        ci.semanticType(),
        providerType,
        ci.name(),
        ci.scope(),
        ci.attributes(),
        ci.relationships(),
        ci.status());
  }

  /** Keeps every previous CI of a family whose list could not be read. */
  void keepFamily(String keyPrefix) {
    for (ConfigurationItem ci : previous.family(keyPrefix)) {
      if (!items.containsKey(ci.nativeKey()) && ci.status().isLive()) {
        put(ci);
      }
    }
  }

  /** Keeps one previous CI; false when there was none. */
  boolean keepOne(String key) {
    ConfigurationItem ci = previous.get(key);
    if (ci == null || !ci.status().isLive()) {
      return false;
    }
    if (!items.containsKey(key)) {
      put(ci);
    }
    return true;
  }

  /** A CI seen this run; a kept one that was unreachable is seen again. */
  void put(ConfigurationItem ci) {
    items.put(
        ci.nativeKey(),
        ci.status() == CiStatus.UNREACHABLE ? ci.withStatus(CiStatus.RESOURCE_DISCOVERED) : ci);
  }

  /** A CI listed but not readable: the CMDB keeps its last content and marks it unreachable. */
  void putUnreachable(ConfigurationItem ci) {
    items.put(ci.nativeKey(), ci.withStatus(CiStatus.UNREACHABLE));
  }
}
