package dev.nimbus.proxmox.provider;

import dev.nimbus.model.Attribution;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.Relationship;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.model.ClusterLogEntry;
import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.model.ClusterStatusEntry;
import dev.nimbus.proxmox.client.model.Firewall;
import dev.nimbus.proxmox.client.model.GuestAgent;
import dev.nimbus.proxmox.client.model.GuestConfig;
import dev.nimbus.proxmox.client.model.GuestType;
import dev.nimbus.proxmox.client.model.NodeNetworkInterface;
import dev.nimbus.proxmox.client.model.NodeStatus;
import dev.nimbus.proxmox.client.model.NodeSummary;
import dev.nimbus.proxmox.client.model.PendingChange;
import dev.nimbus.proxmox.client.model.Pool;
import dev.nimbus.proxmox.client.model.Sdn;
import dev.nimbus.proxmox.client.model.StorageConfig;
import dev.nimbus.proxmox.client.model.Task;
import dev.nimbus.proxmox.client.model.VersionInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One discovery run against one cluster, following the change-driven strategy: one unfiltered
 * {@code /cluster/resources}, a constant number of cluster-wide calls (the task log and, with
 * {@code Sys.Syslog}, the cluster log among them), a few calls per node, and guest configs only for
 * guests that are new, whose resources row changed, that a task or a cluster log line since the
 * last run touched, or that fall in this run's slice of the rotating sweep.
 *
 * <p>The run never tells the CMDB something it does not know:
 *
 * <ul>
 *   <li>a CI may be deleted only when the call that lists it answered with a well-formed list (the
 *       client refuses anything else as an invalid response); a family whose list failed keeps its
 *       previous CIs and its scope is named in the snapshot's failed scopes;
 *   <li>what a failed call would have supplied, attributes or relationships, keeps its previous
 *       value ({@link PreviousCis#keep}); a run whose guests were read while a list they depend on
 *       failed makes the next run re-read every guest, so a later complete run restores anything
 *       this one could not confirm;
 *   <li>a node that is offline (listed so, or answering 595/596) makes its scope unreachable: its
 *       host and guests become Unreachable with their last known content, or, never seen before,
 *       are created Unreachable from their {@code /cluster/resources} rows;
 *   <li>every relationship points at a CI of this snapshot or one kept from before; an edge to
 *       anything else is reported and not written;
 *   <li>a rejected token (401) ends the run; only {@code /version} and {@code /cluster/resources}
 *       failing fails it otherwise. A failed run deletes nothing.
 * </ul>
 */
final class DiscoveryRun {
  /** How many cluster log lines one run asks for; older edits are left to the sweep. */
  static final int CLUSTER_LOG_LINES = 500;

  private final ProxmoxClient client;
  private final CiFactory factory;
  private final ProxmoxMapper mapper;
  private final DiscoveryOptions options;
  private final DiscoveryScope scope;
  private final DiscoverySnapshot previousSnapshot;
  private final PreviousCis previous;
  private final Clock clock;

  private final ScopeBook book = new ScopeBook();
  private final Map<String, ConfigurationItem> items = new ConcurrentHashMap<>();
  private final Map<String, Attribution> attributions = new ConcurrentHashMap<>();
  private final AtomicBoolean agentDenied = new AtomicBoolean();
  private final AtomicBoolean interfacesDenied = new AtomicBoolean();
  private final AtomicBoolean guestsReadDegraded = new AtomicBoolean();

  DiscoveryRun(
      ProxmoxClient client,
      CiFactory factory,
      DiscoveryOptions options,
      DiscoveryScope scope,
      DiscoverySnapshot previous,
      Clock clock) {
    this.client = client;
    this.factory = factory;
    this.mapper = new ProxmoxMapper(factory);
    this.options = options;
    this.scope = scope;
    this.previousSnapshot = previous;
    this.previous = new PreviousCis(previous.items());
    this.clock = clock;
  }

  DiscoverySnapshot run() {
    Instant startedAt = clock.instant();
    long callsBefore = client.callCount();
    ChangeCursor cursor = ChangeCursor.from(previousSnapshot.providerState());
    long runNumber = cursor.run() + 1;

    // The two calls without which nothing can be said: their failure fails the run.
    VersionInfo version = client.version();
    List<ClusterResource> resources = client.cluster().resources();
    book.attempt(ProxmoxKeys.SCOPE_CLUSTER);
    book.attempt(ProxmoxKeys.SCOPE_POOLS);
    book.attempt(ProxmoxKeys.SCOPE_STORAGE);
    book.attempt(ProxmoxKeys.SCOPE_SDN);
    book.attempt(ProxmoxKeys.SCOPE_FIREWALL);

    Map<String, ClusterResource> nodeRows = new TreeMap<>();
    List<ClusterResource> guestRows = new ArrayList<>();
    for (ClusterResource row : resources) {
      if (row == null || row.type() == null) {
        continue;
      }
      switch (row.type()) {
        case "node" -> {
          if (row.node() != null) {
            nodeRows.put(row.node(), row);
          }
        }
        case "qemu", "lxc" -> {
          if (row.vmid() != null && row.vmid() > 0 && row.node() != null) {
            guestRows.add(row);
          } else {
            book.problem(
                DiscoveryProblem.Kind.MALFORMED_RESOURCE,
                ProxmoxKeys.SCOPE_CLUSTER,
                "a " + row.type() + " row of /cluster/resources has no vmid or node: " + row.id());
          }
        }
        default -> {}
      }
    }
    Set<String> selectedNodes = new TreeSet<>(nodeRows.keySet());
    if (scope instanceof DiscoveryScope.Hosts hosts) {
      selectedNodes.retainAll(hosts.names());
    }
    Set<String> onlineNodes = new TreeSet<>();
    for (String node : selectedNodes) {
      book.attempt(ProxmoxKeys.nodeScope(node));
      if ("online".equals(nodeRows.get(node).status())) {
        onlineNodes.add(node);
      } else {
        // Proxmox lists an offline node as "offline" or "unknown"; its calls would answer 595.
        book.unreachable(
            ProxmoxKeys.nodeScope(node), "node " + node + " is " + nodeRows.get(node).status());
      }
    }
    completeScopesOfRemovedNodes(nodeRows.keySet());

    boolean checkSyslog =
        cursor.syslog() == null || runNumber - cursor.syslogCheckedRun() >= options.sweepRuns();

    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<ClusterStatusEntry>> status =
          pool.submit(
              () -> call("cluster/status", "cluster status", () -> client.cluster().status()));
      Future<List<NodeSummary>> nodeSummaries =
          pool.submit(() -> call("cluster/nodes", "node list", client::nodes));
      Future<List<StorageConfig>> storage =
          pool.submit(
              () ->
                  call(
                      ProxmoxKeys.SCOPE_STORAGE,
                      "storage configuration",
                      () -> client.storage().config()));
      Future<List<Pool>> pools =
          pool.submit(
              () -> call(ProxmoxKeys.SCOPE_POOLS, "pool list", () -> client.pools().list()));
      Future<SdnData> sdn = pool.submit(() -> readSdn(version));
      Future<FirewallData> firewall = pool.submit(this::readClusterFirewall);
      Future<List<Task>> tasks =
          pool.submit(
              () -> call("cluster/tasks", "cluster task log", () -> client.cluster().tasks()));
      Future<Boolean> syslog =
          pool.submit(() -> checkSyslog ? readSyslogPermission() : cursor.syslog());
      Map<String, Future<NodeData>> nodeData = new TreeMap<>();
      for (String node : onlineNodes) {
        nodeData.put(node, pool.submit(() -> readNode(node)));
      }
      Boolean hasSyslog = get(syslog);
      List<ClusterLogEntry> log =
          Boolean.TRUE.equals(hasSyslog)
              ? // Without the log, edits are still found by rows, tasks and the sweep.
              call("cluster/log", "cluster log", () -> client.cluster().log(CLUSTER_LOG_LINES))
              : null;

      SdnData sdnData = get(sdn);
      FirewallData fw = get(firewall);
      List<StorageConfig> storageConfigs = get(storage);
      Map<String, Boolean> sharedStorage;
      if (storageConfigs != null) {
        sharedStorage = new HashMap<>();
        for (StorageConfig s : storageConfigs) {
          sharedStorage.put(s.storage(), ProxmoxMapper.isShared(s));
        }
      } else {
        sharedStorage = previous.sharedStorage();
      }

      // Cluster-wide CIs.
      List<ClusterStatusEntry> statusEntries = get(status);
      tenancy(statusEntries, version, nodeRows.keySet(), fw);
      List<NodeSummary> summaryList = get(nodeSummaries);
      Map<String, NodeSummary> summaries = new HashMap<>();
      if (summaryList != null) {
        summaryList.forEach(s -> summaries.put(s.node(), s));
      }
      Map<String, String> nodeIps = new HashMap<>();
      if (statusEntries != null) {
        for (ClusterStatusEntry e : statusEntries) {
          if (e.isNode() && e.name() != null) {
            nodeIps.put(e.name(), e.ip());
          }
        }
      }
      Map<String, NodeData> nodes = new TreeMap<>();
      for (var e : nodeData.entrySet()) {
        nodes.put(e.getKey(), get(e.getValue()));
      }
      List<Pool> poolList = get(pools);
      if (poolList != null) {
        for (Pool p : poolList) {
          if (p != null && p.poolid() != null && inPoolScope(p.poolid())) {
            put(mapper.pool(p));
          }
        }
      } else {
        book.failed(ProxmoxKeys.SCOPE_POOLS);
        keepFamily("pool/");
      }
      if (storageConfigs != null) {
        addStorage(storageConfigs, resources, onlineNodes);
      } else {
        book.failed(ProxmoxKeys.SCOPE_STORAGE);
        keepFamily("storage/");
      }
      addSdn(sdnData);
      addClusterFirewall(fw);
      for (var e : nodes.entrySet()) {
        addNodeContent(e.getKey(), e.getValue());
      }

      // Guests: the O(N) part, read only where something says they changed.
      ChangeLog changes = new ChangeLog();
      List<Task> taskList = get(tasks);
      if (taskList != null) {
        changes.addTasks(taskList, cursor.tasksSince(), cursor.tasksAtCursor());
      }
      if (log != null) {
        changes.addLog(log, cursor.logSince(), cursor.logAtCursor());
      }
      Set<Integer> touched = changes.touched();
      Set<String> vnets =
          sdnData == null || sdnData.vnets() == null ? previous.vnetNames() : sdnData.vnetNames();
      boolean dependenciesDegraded =
          storageConfigs == null || sdnData == null || sdnData.vnets() == null;
      Set<String> knownTargets = new HashSet<>(items.keySet());
      List<Future<?>> guestReads = new ArrayList<>();
      for (ClusterResource row : guestRows) {
        if (!inPoolScope(row.pool()) || !selectedNodes.contains(row.node())) {
          continue;
        }
        String key = ProxmoxKeys.guest(row.type(), row.vmid());
        ConfigurationItem before = previous.get(key);
        // A node whose own calls already failed with 595/596 is not asked once per guest.
        if (!onlineNodes.contains(row.node())
            || book.isUnreachable(ProxmoxKeys.nodeScope(row.node()))) {
          putUnreachable(previous.unreachable(rowOnly(row, sharedStorage, vnets)));
          continue;
        }
        if (cursor.rereadAll()
            || needsRead(row, before, touched.contains(row.vmid()), runNumber, knownTargets)) {
          if (dependenciesDegraded) {
            guestsReadDegraded.set(true);
          }
          guestReads.add(
              pool.submit(() -> readGuest(row, before, version, sharedStorage, vnets, changes)));
        } else {
          carryOver(row, before);
        }
      }
      for (Future<?> f : guestReads) {
        get(f);
      }
      creditDestroyedGuests(guestRows, changes);

      // Hosts last: a node whose calls failed during the run is unreachable by now.
      for (var e : nodeRows.entrySet()) {
        if (selectedNodes.contains(e.getKey())) {
          host(
              e.getValue(),
              nodes.get(e.getKey()),
              summaries,
              summaryList == null,
              nodeIps,
              statusEntries == null);
        } else {
          // A node outside the connection's scope: listed, not read; its facts stay as they were.
          ConfigurationItem before = previous.get(ProxmoxKeys.node(e.getKey()));
          put(
              before != null
                  ? before
                  : mapper.node(
                      e.getValue(),
                      summaries.get(e.getKey()),
                      null,
                      nodeIps.get(e.getKey()),
                      false));
        }
      }

      // What was read from a node that became unreachable during the run is not trusted: its
      // CIs keep their last known content and are marked unreachable.
      for (String key : List.copyOf(items.keySet())) {
        ConfigurationItem ci = items.get(key);
        if (book.isUnreachable(ci.scope()) && ci.status() != CiStatus.UNREACHABLE) {
          ConfigurationItem before = previous.get(key);
          if (before != null) {
            items.put(key, before.withStatus(CiStatus.UNREACHABLE));
          } else {
            items.put(key, ci.withStatus(CiStatus.UNREACHABLE));
          }
        }
      }
      checkRelationships();

      ChangeCursor next = nextCursor(cursor, runNumber, taskList, log, hasSyslog, checkSyslog);
      return new DiscoverySnapshot(
          factory.connection(),
          startedAt,
          new ArrayList<>(new TreeMap<>(items).values()),
          book.complete(),
          book.unreachableScopes(),
          attributions,
          book.problems(),
          next.toState(),
          client.callCount() - callsBefore,
          book.failedScopes());
    }
  }

  private ChangeCursor nextCursor(
      ChangeCursor cursor,
      long runNumber,
      List<Task> tasks,
      List<ClusterLogEntry> log,
      Boolean hasSyslog,
      boolean checkedSyslog) {
    long tasksSince = cursor.tasksSince();
    Set<String> tasksAt = cursor.tasksAtCursor();
    if (tasks != null) {
      var c = ChangeLog.taskCursor(tasks, Math.max(cursor.tasksSince(), 0));
      tasksSince = c.getKey();
      tasksAt = c.getValue();
    }
    long logSince = cursor.logSince();
    Set<String> logAt = cursor.logAtCursor();
    if (log != null) {
      var c = ChangeLog.logCursor(log, Math.max(cursor.logSince(), 0));
      logSince = c.getKey();
      logAt = c.getValue();
    }
    return new ChangeCursor(
        runNumber,
        tasksSince,
        tasksAt,
        logSince,
        logAt,
        hasSyslog,
        checkedSyslog && hasSyslog != null ? runNumber : cursor.syslogCheckedRun(),
        guestsReadDegraded.get());
  }

  /**
   * The nodes the previous runs knew that {@code /cluster/resources} no longer lists were removed
   * from the cluster (Proxmox lists offline nodes too): their scopes are complete, so their local
   * storage, bridges and rule sets are deleted. Not when the answer listed no node at all.
   */
  private void completeScopesOfRemovedNodes(Set<String> listedNodes) {
    if (listedNodes.isEmpty()) {
      return;
    }
    for (ConfigurationItem ci : previous.all()) {
      String s = ci.scope();
      if (s.startsWith("node/")) {
        String node = s.substring("node/".length());
        boolean selected =
            !(scope instanceof DiscoveryScope.Hosts hosts) || hosts.names().contains(node);
        if (selected && !listedNodes.contains(node)) {
          book.attempt(s);
        }
      }
    }
  }

  private void tenancy(
      List<ClusterStatusEntry> statusEntries,
      VersionInfo version,
      Set<String> nodeNames,
      FirewallData fw) {
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

  private void host(
      ClusterResource row,
      NodeData data,
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

  private void addNodeContent(String node, NodeData data) {
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

  private void addSdn(SdnData sdn) {
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

  private void addClusterFirewall(FirewallData fw) {
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

  /**
   * The first run reads every guest; later runs only what may have changed, plus guests whose
   * previous CI points at something that is gone (a removed storage or bridge means their config
   * changed too).
   */
  private boolean needsRead(
      ClusterResource row,
      ConfigurationItem before,
      boolean touched,
      long runNumber,
      Set<String> knownTargets) {
    if (before == null || touched) {
      return true;
    }
    if (before.status() == CiStatus.UNREACHABLE
        || Boolean.TRUE.equals(before.attributes().get("configUnavailable"))) {
      return true;
    }
    if (!RowSignature.of(row).equals(RowSignature.of(before))) {
      return true;
    }
    for (Relationship r : before.relationships()) {
      String target = r.targetNativeKey();
      boolean guestOwned = target.startsWith("firewall/guest/") || target.startsWith("node/");
      if (!guestOwned
          && !target.equals(ProxmoxKeys.TENANCY)
          && !target.startsWith("pool/")
          && !knownTargets.contains(target)
          && previous.get(target) != null
          && book.isComplete(previous.get(target).scope())) {
        return true;
      }
    }
    return Math.floorMod(row.vmid(), options.sweepRuns())
        == Math.floorMod(runNumber, options.sweepRuns());
  }

  private void carryOver(ClusterResource row, ConfigurationItem before) {
    put(before);
    keepOne(ProxmoxKeys.guestFirewall(row.vmid()));
  }

  private ConfigurationItem rowOnly(
      ClusterResource row, Map<String, Boolean> sharedStorage, Set<String> vnets) {
    return mapper.guest(
        new ProxmoxMapper.GuestInputs(
            row, null, null, false, Set.of(), sharedStorage, vnets, List.of()));
  }

  private void readGuest(
      ClusterResource row,
      ConfigurationItem before,
      VersionInfo version,
      Map<String, Boolean> sharedStorage,
      Set<String> vnets,
      ChangeLog changes) {
    String node = row.node();
    String key = ProxmoxKeys.guest(row.type(), row.vmid());
    GuestType type = "qemu".equals(row.type()) ? GuestType.QEMU : GuestType.LXC;
    boolean running = "running".equals(row.status());
    var api = client.node(node).guest(type, row.vmid());
    GuestConfig config;
    List<PendingChange> pending = List.of();
    try {
      if (running) {
        // A running guest's CI describes what runs: the current config, with what applies at the
        // next restart kept apart as "pending".
        ConfigAndPending cp = runningConfig(api, type);
        config = cp.config();
        pending = cp.pending();
      } else {
        config = api.config();
      }
      List<String> malformed = GuestConfigCheck.problems(config, !running || type == GuestType.LXC);
      if (!malformed.isEmpty()) {
        throw new MalformedConfig(String.join("; ", malformed));
      }
    } catch (ProxmoxException.AuthenticationFailed e) {
      throw e;
    } catch (ProxmoxException.NodeUnreachable e) {
      book.unreachable(ProxmoxKeys.nodeScope(node), e.getMessage());
      return;
    } catch (ProxmoxException.PermissionDenied e) {
      book.problem(DiscoveryProblem.Kind.MISSING_PERMISSION, key, permissionMessage(e));
      keepPreviousOrRowOnly(row, before, sharedStorage, vnets);
      return;
    } catch (ProxmoxException e) {
      book.problem(DiscoveryProblem.Kind.CALL_FAILED, key, e.getMessage());
      keepPreviousOrRowOnly(row, before, sharedStorage, vnets);
      return;
    } catch (RuntimeException e) {
      book.problem(
          DiscoveryProblem.Kind.MALFORMED_RESOURCE,
          key,
          "config of " + key + " on " + node + " could not be read: " + e.getMessage());
      keepPreviousOrRowOnly(row, before, sharedStorage, vnets);
      return;
    }
    Set<String> keep = new TreeSet<>();
    List<GuestAgent.Interface> interfaces = null;
    if (running
        && type == GuestType.QEMU
        && options.guestAgent()
        && config.agent() != null
        && config.agent().enabled()
        && !agentDenied.get()) {
      AgentAnswer a = agentInterfaces(api, key, version);
      interfaces = a.interfaces();
      if (a.failed()) {
        keep.add("ipAddresses");
      }
    } else if (running
        && type == GuestType.LXC
        && version.parsed().lxcInterfaces()
        && !interfacesDenied.get()) {
      AgentAnswer a = lxcInterfaces(api, key);
      interfaces = a.interfaces();
      if (a.failed()) {
        keep.add("ipAddresses");
      }
    }
    List<Firewall.Rule> rules = List.of();
    boolean firewallNic = config.nets().values().stream().anyMatch(n -> n.firewall());
    boolean rulesFailed = false;
    if (options.guestFirewall() && firewallNic) {
      try {
        rules = api.firewallRules();
      } catch (ProxmoxException.AuthenticationFailed e) {
        throw e;
      } catch (ProxmoxException.NodeUnreachable e) {
        book.unreachable(ProxmoxKeys.nodeScope(node), e.getMessage());
        return;
      } catch (ProxmoxException e) {
        book.problem(
            e instanceof ProxmoxException.PermissionDenied
                ? DiscoveryProblem.Kind.MISSING_PERMISSION
                : DiscoveryProblem.Kind.CALL_FAILED,
            key,
            e instanceof ProxmoxException.PermissionDenied pd
                ? permissionMessage(pd)
                : e.getMessage());
        rulesFailed = true;
      } catch (RuntimeException e) {
        book.problem(
            DiscoveryProblem.Kind.MALFORMED_RESOURCE,
            key,
            "firewall rules of " + key + " could not be read: " + e.getMessage());
        rulesFailed = true;
      }
    }
    boolean hasRuleSet = !rulesFailed && !rules.isEmpty();
    Set<String> groups = rulesFailed ? Set.of() : ProxmoxMapper.referencedGroups(rules);
    ConfigurationItem ci =
        mapper.guest(
            new ProxmoxMapper.GuestInputs(
                row, config, interfaces, hasRuleSet, groups, sharedStorage, vnets, pending));
    if (rulesFailed) {
      // The rule set and the groups it pulls in keep what the last run saw.
      ci =
          previous.keep(
              ci,
              Set.of(),
              r ->
                  r.kind() == RelationshipKind.PROTECTED_BY
                      && (r.targetNativeKey().startsWith("firewall/guest/")
                          || r.targetNativeKey().startsWith("firewall/group/")));
      keepOne(ProxmoxKeys.guestFirewall(row.vmid()));
    } else if (!rules.isEmpty()) {
      put(
          mapper.ruleSet(
              ProxmoxKeys.guestFirewall(row.vmid()),
              "guest-firewall",
              RowSignature.name(row) + " firewall",
              ProxmoxKeys.nodeScope(node),
              rules));
    }
    if (!keep.isEmpty()) {
      ci = previous.keep(ci, keep);
    }
    put(ci);
    credit(key, row.vmid(), ci, before, changes);
  }

  /**
   * The config a running guest runs with and its pending changes. QEMU's {@code /pending} lists
   * every key with its current value and its pending one, so one call gives both. LXC's leaves out
   * the raw {@code lxc.*} keys (they are an array in the parsed config), so containers read the
   * current config as well. A server that cannot answer {@code /pending} falls back to {@code
   * current=1} without pending changes.
   */
  private ConfigAndPending runningConfig(dev.nimbus.proxmox.client.GuestApi api, GuestType type) {
    List<PendingChange> entries;
    try {
      entries = api.pending();
    } catch (ProxmoxException.AuthenticationFailed
        | ProxmoxException.NodeUnreachable
        | ProxmoxException.PermissionDenied e) {
      throw e;
    } catch (ProxmoxException e) {
      return new ConfigAndPending(api.currentConfig(), List.of());
    }
    List<PendingChange> pending = entries.stream().filter(PendingChange::isPending).toList();
    if (type == GuestType.LXC) {
      return new ConfigAndPending(api.currentConfig(), pending);
    }
    ObjectNode current = JsonNodeFactory.instance.objectNode();
    for (PendingChange e : entries) {
      if (e.key() != null && e.raw() != null && e.raw().has("value")) {
        current.set(e.key(), e.raw().get("value"));
      }
    }
    return new ConfigAndPending(GuestConfig.from(GuestType.QEMU, current), pending);
  }

  private record ConfigAndPending(GuestConfig config, List<PendingChange> pending) {}

  /** Credits the change of a guest to the task or log line that can have caused it. */
  private void credit(
      String key, int vmid, ConfigurationItem ci, ConfigurationItem before, ChangeLog changes) {
    boolean isNew = before == null;
    var diff = isNew ? List.<dev.nimbus.model.PropertyChange>of() : ci.changesSince(before);
    boolean hadPending = !isNew && before.attributes().get("pending") != null;
    Attribution who = changes.credit(vmid, diff, hadPending, isNew);
    if (who != null) {
      attributions.put(key, who);
    }
  }

  /** A guest that is gone is credited to the task that destroyed it, when there is one. */
  private void creditDestroyedGuests(List<ClusterResource> rows, ChangeLog changes) {
    Set<String> listed = new HashSet<>();
    rows.forEach(r -> listed.add(ProxmoxKeys.guest(r.type(), r.vmid())));
    for (ConfigurationItem ci : previous.all()) {
      String k = ci.nativeKey();
      if ((k.startsWith("qemu/") || k.startsWith("lxc/")) && !listed.contains(k)) {
        try {
          Attribution who = changes.destroyedBy(Integer.parseInt(k.substring(k.indexOf('/') + 1)));
          if (who != null) {
            attributions.put(k, who);
          }
        } catch (NumberFormatException e) {
          // not a guest key of ours
        }
      }
    }
  }

  private record AgentAnswer(List<GuestAgent.Interface> interfaces, boolean failed) {}

  private AgentAnswer agentInterfaces(
      dev.nimbus.proxmox.client.GuestApi api, String key, VersionInfo version) {
    try {
      GuestAgent.Reply<List<GuestAgent.Interface>> reply = api.agentNetworkInterfaces();
      // An agent that answers with an error knows nothing now; what it said before stands.
      return reply.isError() ? new AgentAnswer(null, true) : new AgentAnswer(reply.value(), false);
    } catch (ProxmoxException.AuthenticationFailed e) {
      throw e;
    } catch (ProxmoxException.PermissionDenied e) {
      if (agentDenied.compareAndSet(false, true)) {
        book.problem(
            DiscoveryProblem.Kind.MISSING_PERMISSION,
            key,
            permissionMessage(e)
                + " (guest agent IP addresses need "
                + (version.parsed().guestAgentAuditPriv() ? "VM.GuestAgent.Audit" : "VM.Monitor")
                + "; reported once per run)");
      }
      return new AgentAnswer(null, false);
    } catch (RuntimeException e) {
      // An agent that is configured but not running answers 500, and so does a flaky tunnel: the
      // addresses are unknown, not gone, so the last run's stay. Powering off is what clears them
      // (a stopped guest's agent is not asked).
      return new AgentAnswer(null, true);
    }
  }

  private AgentAnswer lxcInterfaces(dev.nimbus.proxmox.client.GuestApi api, String key) {
    try {
      return new AgentAnswer(api.interfaces(), false);
    } catch (ProxmoxException.AuthenticationFailed e) {
      throw e;
    } catch (ProxmoxException.PermissionDenied e) {
      if (interfacesDenied.compareAndSet(false, true)) {
        book.problem(DiscoveryProblem.Kind.MISSING_PERMISSION, key, permissionMessage(e));
      }
      return new AgentAnswer(null, false);
    } catch (RuntimeException e) {
      return new AgentAnswer(null, true);
    }
  }

  /**
   * A guest whose config could not be read keeps the CI of the last run (so a transient failure
   * never shows up as a diff); a new one gets a CI from its resources row alone.
   */
  private void keepPreviousOrRowOnly(
      ClusterResource row,
      ConfigurationItem before,
      Map<String, Boolean> sharedStorage,
      Set<String> vnets) {
    if (before != null) {
      carryOver(row, before);
    } else {
      put(rowOnly(row, sharedStorage, vnets));
    }
  }

  private Boolean readSyslogPermission() {
    try {
      return client.access().permissions().has("/", "Sys.Syslog");
    } catch (ProxmoxException.AuthenticationFailed e) {
      throw e;
    } catch (RuntimeException e) {
      // Unknown this run; checked again next run. Not a problem of the inventory.
      return null;
    }
  }

  private NodeData readNode(String node) {
    String scope = ProxmoxKeys.nodeScope(node);
    var api = client.node(node);
    List<NodeNetworkInterface> network =
        call(scope + "/network", "network of node " + node, api::network);
    List<Firewall.Rule> rules =
        call(scope + "/firewall", "firewall rules of node " + node, api::firewallRules);
    NodeStatus status = call(scope + "/status", "status of node " + node, api::status);
    if (status != null && status.pveversion() == null && status.kversion() == null) {
      // A node always reports its versions; an answer without them is not a node status.
      book.failedPart(
          scope + "/status",
          DiscoveryProblem.Kind.MALFORMED_RESOURCE,
          "status of node " + node + " has no pveversion or kversion");
      status = null;
    }
    if (book.isUnreachable(scope)) {
      return null;
    }
    return new NodeData(network, rules, status);
  }

  private SdnData readSdn(VersionInfo version) {
    String scope = ProxmoxKeys.SCOPE_SDN;
    List<Sdn.Zone> zones =
        callOptional(scope + "/zones", "SDN zones", () -> client.cluster().sdn().zones());
    List<Sdn.Vnet> vnets =
        callOptional(scope + "/vnets", "SDN vnets", () -> client.cluster().sdn().vnets());
    Map<String, List<Sdn.Subnet>> subnets = new TreeMap<>();
    Map<String, List<Firewall.Rule>> rules = new TreeMap<>();
    Set<String> failedRules = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    if (vnets != null) {
      for (Sdn.Vnet v : vnets) {
        names.add(v.vnet());
        List<Sdn.Subnet> s =
            call(
                scope + "/vnet/" + v.vnet() + "/subnets",
                "subnets of vnet " + v.vnet(),
                () -> client.cluster().sdn().subnets(v.vnet()));
        if (s != null) {
          subnets.put(v.vnet(), s);
        }
        if (version.parsed().vnetFirewall()) {
          List<Firewall.Rule> r =
              callOptional(
                  scope + "/vnet/" + v.vnet() + "/firewall",
                  "firewall rules of vnet " + v.vnet(),
                  () -> client.cluster().sdn().vnetFirewallRules(v.vnet()));
          if (r == null) {
            failedRules.add(v.vnet());
          } else {
            rules.put(v.vnet(), r);
          }
        }
      }
    }
    return new SdnData(zones, vnets, subnets, rules, failedRules, names);
  }

  private FirewallData readClusterFirewall() {
    String scope = ProxmoxKeys.SCOPE_FIREWALL;
    var api = client.cluster().firewall();
    Firewall.Options options = call(scope + "/options", "cluster firewall options", api::options);
    if (options != null && (options.raw() == null || !options.raw().hasNonNull("digest"))) {
      // Proxmox answers the options with the file's digest even when none is set.
      book.failedPart(
          scope + "/options",
          DiscoveryProblem.Kind.MALFORMED_RESOURCE,
          "cluster firewall options answer has no digest");
      options = null;
    }
    List<Firewall.Rule> rules = call(scope + "/rules", "cluster firewall rules", api::rules);
    List<Firewall.Group> groups = call(scope + "/groups", "security groups", api::groups);
    List<Firewall.Alias> aliases = call(scope + "/aliases", "firewall aliases", api::aliases);
    List<Firewall.IpSet> ipsets = call(scope + "/ipsets", "IP sets", api::ipsets);
    Map<Firewall.Group, List<Firewall.Rule>> groupRules = null;
    if (groups != null) {
      groupRules = new LinkedHashMap<>();
      for (Firewall.Group g : groups) {
        groupRules.put(
            g,
            call(
                scope + "/group/" + g.group(),
                "rules of security group " + g.group(),
                () -> api.groupRules(g.group())));
      }
    }
    Map<String, List<Firewall.IpSetEntry>> entries = null;
    Set<String> failedIpsets = new TreeSet<>();
    if (ipsets != null) {
      entries = new TreeMap<>();
      for (Firewall.IpSet s : ipsets) {
        List<Firewall.IpSetEntry> e =
            call(
                scope + "/ipset/" + s.name(),
                "entries of IP set " + s.name(),
                () -> api.ipset(s.name()));
        if (e == null) {
          failedIpsets.add(s.name());
        } else {
          entries.put(s.name(), e);
        }
      }
    }
    return new FirewallData(options, rules, groupRules, aliases, entries, failedIpsets);
  }

  private void addStorage(
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
  private void checkRelationships() {
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

  private boolean inPoolScope(String poolId) {
    if (!(scope instanceof DiscoveryScope.Compartments pools)) {
      return true;
    }
    if (poolId == null || poolId.isBlank()) {
      return false;
    }
    for (String p : pools.names()) {
      if (poolId.equals(p) || poolId.startsWith(p + "/")) {
        return true;
      }
    }
    return false;
  }

  private static String clusterName(List<ClusterStatusEntry> status, Set<String> nodes) {
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

  /**
   * Calls an endpoint that supplies {@code part} (named in the run record when it fails). A node
   * that does not answer (595/596) makes its node's scope unreachable; any other failure, an error
   * status or a malformed answer alike, is reported and returns null, which the caller answers by
   * keeping what that call would have supplied. A rejected token ends the run.
   */
  private <T> T call(String part, String what, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (ProxmoxException.AuthenticationFailed e) {
      throw e;
    } catch (ProxmoxException.NodeUnreachable e) {
      String nodeScope = nodeScopeOf(part);
      if (nodeScope != null) {
        book.unreachable(nodeScope, what + ": " + e.getMessage());
      } else {
        book.failedPart(
            part, DiscoveryProblem.Kind.SCOPE_UNREACHABLE, what + ": " + e.getMessage());
      }
    } catch (ProxmoxException.PermissionDenied e) {
      book.failedPart(
          part, DiscoveryProblem.Kind.MISSING_PERMISSION, what + ": " + permissionMessage(e));
    } catch (ProxmoxException e) {
      book.failedPart(part, DiscoveryProblem.Kind.CALL_FAILED, what + ": " + e.getMessage());
    } catch (RuntimeException e) {
      book.failedPart(
          part,
          DiscoveryProblem.Kind.MALFORMED_RESOURCE,
          what + " could not be parsed: " + e.getMessage());
    }
    return null;
  }

  /** Like {@link #call}, but an endpoint the server does not have (501, 404) means "none". */
  private <T> List<T> callOptional(
      String part, String what, java.util.function.Supplier<List<T>> call) {
    try {
      return call.get();
    } catch (ProxmoxException.NotImplemented | ProxmoxException.NotFound e) {
      return List.of();
    } catch (RuntimeException e) {
      return call(
          part,
          what,
          () -> {
            throw e;
          });
    }
  }

  /** {@code node/pve1} for a part {@code node/pve1/network}; null for cluster-wide parts. */
  private static String nodeScopeOf(String part) {
    if (part == null || !part.startsWith("node/")) {
      return null;
    }
    int slash = part.indexOf('/', "node/".length());
    return slash < 0 ? part : part.substring(0, slash);
  }

  /** Keeps every previous CI of a family whose list could not be read. */
  private void keepFamily(String keyPrefix) {
    for (ConfigurationItem ci : previous.family(keyPrefix)) {
      if (!items.containsKey(ci.nativeKey()) && ci.status().isLive()) {
        put(ci);
      }
    }
  }

  /** Keeps one previous CI; false when there was none. */
  private boolean keepOne(String key) {
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
  private void put(ConfigurationItem ci) {
    items.put(
        ci.nativeKey(),
        ci.status() == CiStatus.UNREACHABLE ? ci.withStatus(CiStatus.RESOURCE_DISCOVERED) : ci);
  }

  /** A CI listed but not readable: the CMDB keeps its last content and marks it unreachable. */
  private void putUnreachable(ConfigurationItem ci) {
    items.put(ci.nativeKey(), ci.withStatus(CiStatus.UNREACHABLE));
  }

  static String permissionMessage(ProxmoxException.PermissionDenied e) {
    return "missing privilege "
        + e.privilege()
        + " on "
        + e.aclPath()
        + " ("
        + e.method()
        + " "
        + e.path()
        + ")";
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("discovery interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** What one node's calls gave; a null part is a call that failed. */
  private record NodeData(
      List<NodeNetworkInterface> network, List<Firewall.Rule> firewallRules, NodeStatus status) {}

  /** The SDN calls' answers; a null list or a missing map entry is a call that failed. */
  private record SdnData(
      List<Sdn.Zone> zones,
      List<Sdn.Vnet> vnets,
      Map<String, List<Sdn.Subnet>> subnets,
      Map<String, List<Firewall.Rule>> vnetRules,
      Set<String> failedVnetRules,
      Set<String> vnetNames) {}

  /** The cluster firewall calls' answers; a null part is a call that failed. */
  private record FirewallData(
      Firewall.Options options,
      List<Firewall.Rule> rules,
      Map<Firewall.Group, List<Firewall.Rule>> groups,
      List<Firewall.Alias> aliases,
      Map<String, List<Firewall.IpSetEntry>> ipsets,
      Set<String> failedIpsets) {}

  private static final class MalformedConfig extends RuntimeException {
    MalformedConfig(String message) {
      super(message);
    }
  }
}
