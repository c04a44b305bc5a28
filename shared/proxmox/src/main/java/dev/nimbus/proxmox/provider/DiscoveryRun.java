package dev.nimbus.proxmox.provider;

import dev.nimbus.model.Attribution;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.model.ClusterStatusEntry;
import dev.nimbus.proxmox.client.model.Firewall;
import dev.nimbus.proxmox.client.model.GuestAgent;
import dev.nimbus.proxmox.client.model.GuestConfig;
import dev.nimbus.proxmox.client.model.GuestType;
import dev.nimbus.proxmox.client.model.NodeNetworkInterface;
import dev.nimbus.proxmox.client.model.NodeStatus;
import dev.nimbus.proxmox.client.model.NodeSummary;
import dev.nimbus.proxmox.client.model.Pool;
import dev.nimbus.proxmox.client.model.Sdn;
import dev.nimbus.proxmox.client.model.StorageConfig;
import dev.nimbus.proxmox.client.model.Task;
import dev.nimbus.proxmox.client.model.VersionInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
import java.util.function.Supplier;

/**
 * One discovery run against one cluster, following the change-driven strategy: one unfiltered
 * {@code /cluster/resources}, a constant number of cluster-wide calls, a few calls per node, and
 * guest configs only for guests that are new, whose resources row changed, that a task since the
 * last run touched, or that fall in this run's slice of the rotating sweep.
 *
 * <p>Failures stay local: a node that does not answer makes its scope unreachable (its CIs are
 * kept, marked unreachable), a list call that fails leaves its scope incomplete (nothing in it is
 * deleted), one guest whose config cannot be read or parsed keeps its previous CI and is reported.
 * Only {@code /version} and {@code /cluster/resources} failing fails the run as a whole.
 */
final class DiscoveryRun {
  static final String STATE_RUN = "run";
  static final String STATE_TASKS_SINCE = "tasksSince";
  static final String STATE_TASKS_AT_CURSOR = "tasksAtCursor";

  private final ProxmoxClient client;
  private final CiFactory factory;
  private final ProxmoxMapper mapper;
  private final DiscoveryOptions options;
  private final DiscoveryScope scope;
  private final DiscoverySnapshot previous;
  private final Clock clock;

  private final Map<String, ConfigurationItem> previousByKey = new HashMap<>();
  private final List<DiscoveryProblem> problems = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> attemptedScopes = ConcurrentHashMap.newKeySet();
  private final Set<String> failedScopes = ConcurrentHashMap.newKeySet();
  private final Set<String> unreachableScopes = ConcurrentHashMap.newKeySet();
  private final Map<String, ConfigurationItem> items = new ConcurrentHashMap<>();
  private final AtomicBoolean agentDenied = new AtomicBoolean();
  private final AtomicBoolean interfacesDenied = new AtomicBoolean();

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
    this.previous = previous;
    this.clock = clock;
    for (ConfigurationItem ci : previous.items()) {
      previousByKey.put(ci.nativeKey(), ci);
    }
  }

  DiscoverySnapshot run() {
    Instant startedAt = clock.instant();
    long callsBefore = client.callCount();
    long runNumber = parseLong(previous.providerState().get(STATE_RUN), -1) + 1;
    long tasksSince = parseLong(previous.providerState().get(STATE_TASKS_SINCE), -1);

    // The two calls without which nothing can be said: their failure fails the run.
    VersionInfo version = client.version();
    List<ClusterResource> resources = client.cluster().resources();
    attemptedScopes.add(ProxmoxKeys.SCOPE_CLUSTER);
    attemptedScopes.add(ProxmoxKeys.SCOPE_POOLS);
    attemptedScopes.add(ProxmoxKeys.SCOPE_STORAGE);

    Map<String, ClusterResource> nodeRows = new TreeMap<>();
    List<ClusterResource> guestRows = new ArrayList<>();
    for (ClusterResource row : resources) {
      switch (row.type()) {
        case "node" -> nodeRows.put(row.node(), row);
        case "qemu", "lxc" -> {
          if (row.vmid() != null && row.node() != null) {
            guestRows.add(row);
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
      attemptedScopes.add(ProxmoxKeys.nodeScope(node));
      if ("online".equals(nodeRows.get(node).status())) {
        onlineNodes.add(node);
      } else {
        // Proxmox lists an offline node as "offline" or "unknown"; its calls would answer 595.
        unreachable(
            ProxmoxKeys.nodeScope(node), "node " + node + " is " + nodeRows.get(node).status());
      }
    }

    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<ClusterStatusEntry>> status =
          pool.submit(
              () -> call(null, "cluster status", () -> client.cluster().status(), List.of()));
      Future<List<NodeSummary>> nodeSummaries =
          pool.submit(() -> call(null, "node list", client::nodes, List.of()));
      Future<List<StorageConfig>> storage =
          pool.submit(
              () ->
                  call(
                      ProxmoxKeys.SCOPE_STORAGE,
                      "storage configuration",
                      () -> client.storage().config(),
                      null));
      Future<List<Pool>> pools =
          pool.submit(
              () -> call(ProxmoxKeys.SCOPE_POOLS, "pool list", () -> client.pools().list(), null));
      Future<SdnData> sdn = pool.submit(() -> readSdn(version));
      Future<FirewallData> firewall = pool.submit(this::readClusterFirewall);
      Future<List<Task>> tasks =
          pool.submit(
              () -> call(null, "cluster task log", () -> client.cluster().tasks(), List.of()));
      Map<String, Future<NodeData>> nodeData = new TreeMap<>();
      for (String node : onlineNodes) {
        nodeData.put(node, pool.submit(() -> readNode(node)));
      }

      SdnData sdnData = get(sdn);
      FirewallData fw = get(firewall);
      List<StorageConfig> storageConfigs = get(storage);
      Map<String, Boolean> sharedStorage = new HashMap<>();
      if (storageConfigs != null) {
        for (StorageConfig s : storageConfigs) {
          sharedStorage.put(s.storage(), ProxmoxMapper.isShared(s));
        }
      }

      // Cluster-wide CIs.
      List<ClusterStatusEntry> statusEntries = get(status);
      String clusterName = clusterName(statusEntries, nodeRows.keySet());
      boolean standalone = statusEntries.stream().noneMatch(ClusterStatusEntry::isCluster);
      Map<String, String> nodeIps = new HashMap<>();
      for (ClusterStatusEntry e : statusEntries) {
        if (e.isNode() && e.name() != null) {
          nodeIps.put(e.name(), e.ip());
        }
      }
      put(
          mapper.tenancy(
              clusterName,
              standalone,
              version,
              nodeRows.keySet(),
              fw == null ? null : fw.options()));
      Map<String, NodeSummary> summaries = new HashMap<>();
      for (NodeSummary s : get(nodeSummaries)) {
        summaries.put(s.node(), s);
      }
      Map<String, NodeData> nodes = new TreeMap<>();
      for (var e : nodeData.entrySet()) {
        NodeData data = get(e.getValue());
        if (data != null) {
          nodes.put(e.getKey(), data);
        }
      }
      for (var e : nodeRows.entrySet()) {
        NodeData data = nodes.get(e.getKey());
        put(
            mapper.node(
                e.getValue(),
                summaries.get(e.getKey()),
                data == null ? null : data.status(),
                nodeIps.get(e.getKey()),
                data != null && data.firewallRules() != null));
      }
      List<Pool> poolList = get(pools);
      if (poolList != null) {
        for (Pool p : poolList) {
          if (inPoolScope(p.poolid())) {
            put(mapper.pool(p));
          }
        }
      }
      if (storageConfigs != null) {
        addStorage(storageConfigs, resources, onlineNodes);
      }
      if (sdnData != null) {
        for (Sdn.Zone z : sdnData.zones()) {
          put(mapper.sdnZone(z));
        }
        for (Sdn.Vnet v : sdnData.vnets()) {
          List<Firewall.Rule> rules = sdnData.vnetRules().getOrDefault(v.vnet(), List.of());
          put(
              mapper.sdnVnet(
                  v, sdnData.subnets().getOrDefault(v.vnet(), List.of()), !rules.isEmpty()));
          if (!rules.isEmpty()) {
            put(
                mapper.ruleSet(
                    ProxmoxKeys.vnetFirewall(v.vnet()),
                    "vnet-firewall",
                    "VNet " + v.vnet() + " firewall",
                    ProxmoxKeys.SCOPE_SDN,
                    rules));
          }
        }
      }
      if (fw != null) {
        put(mapper.clusterFirewall(fw.options(), fw.rules(), fw.aliases(), fw.ipsets()));
        for (var g : fw.groups().entrySet()) {
          put(mapper.securityGroup(g.getKey(), g.getValue()));
        }
      }
      for (var e : nodes.entrySet()) {
        String node = e.getKey();
        NodeData data = e.getValue();
        for (NodeNetworkInterface iface : data.network()) {
          if (iface.isBridge()) {
            put(mapper.bridge(node, iface));
          }
        }
        if (data.firewallRules() != null) {
          put(
              mapper.ruleSet(
                  ProxmoxKeys.nodeFirewall(node),
                  "node-firewall",
                  "Node " + node + " firewall",
                  ProxmoxKeys.nodeScope(node),
                  data.firewallRules()));
        }
      }

      // Guests: the O(N) part, read only where something says they changed.
      Map<Integer, Attribution> touched =
          touchedByTasks(get(tasks), tasksSince, seenAtCursor(previous.providerState()));
      Set<String> vnets = sdnData == null ? Set.of() : sdnData.vnetNames();
      List<Future<?>> guestReads = new ArrayList<>();
      Map<String, Attribution> attributions = new ConcurrentHashMap<>();
      for (ClusterResource row : guestRows) {
        // A node whose own calls already failed with 595/596 is not asked once per guest.
        if (!onlineNodes.contains(row.node())
            || unreachableScopes.contains(ProxmoxKeys.nodeScope(row.node()))
            || !inPoolScope(row.pool())) {
          continue;
        }
        String key = ProxmoxKeys.guest(row.type(), row.vmid());
        Attribution who = touched.get(row.vmid());
        if (who != null) {
          attributions.put(key, who);
        }
        ConfigurationItem before = previousByKey.get(key);
        if (needsRead(row, before, who != null, runNumber)) {
          guestReads.add(pool.submit(() -> readGuest(row, before, version, sharedStorage, vnets)));
        } else {
          carryOver(row, before);
        }
      }
      for (Future<?> f : guestReads) {
        get(f);
      }

      Map<String, String> state = new TreeMap<>(taskCursor(get(tasks), tasksSince));
      state.put(STATE_RUN, Long.toString(runNumber));

      // Drop what was read from a node that became unreachable during the run: its CIs are kept
      // as they were, marked unreachable, rather than half-updated.
      items.values().removeIf(ci -> unreachableScopes.contains(ci.scope()));
      Set<String> complete = new TreeSet<>(attemptedScopes);
      complete.removeAll(failedScopes);
      complete.removeAll(unreachableScopes);
      return new DiscoverySnapshot(
          factory.connection(),
          startedAt,
          new ArrayList<>(new TreeMap<>(items).values()),
          complete,
          new TreeSet<>(unreachableScopes),
          attributions,
          List.copyOf(problems),
          new TreeMap<>(state),
          client.callCount() - callsBefore);
    }
  }

  /** The first run reads every guest; later runs only what may have changed. */
  private boolean needsRead(
      ClusterResource row, ConfigurationItem before, boolean touchedByTask, long runNumber) {
    if (before == null || touchedByTask) {
      return true;
    }
    if (Boolean.TRUE.equals(before.attributes().get("configUnavailable"))) {
      return true;
    }
    if (!RowSignature.of(row).equals(RowSignature.of(before))) {
      return true;
    }
    return Math.floorMod(row.vmid(), options.sweepRuns())
        == Math.floorMod(runNumber, options.sweepRuns());
  }

  private void carryOver(ClusterResource row, ConfigurationItem before) {
    put(before);
    ConfigurationItem rules = previousByKey.get(ProxmoxKeys.guestFirewall(row.vmid()));
    if (rules != null) {
      put(rules);
    }
  }

  private void readGuest(
      ClusterResource row,
      ConfigurationItem before,
      VersionInfo version,
      Map<String, Boolean> sharedStorage,
      Set<String> vnets) {
    String node = row.node();
    String key = ProxmoxKeys.guest(row.type(), row.vmid());
    GuestType type = "qemu".equals(row.type()) ? GuestType.QEMU : GuestType.LXC;
    var api = client.node(node).guest(type, row.vmid());
    GuestConfig config;
    try {
      config = api.config();
      List<String> malformed = GuestConfigCheck.problems(config);
      if (!malformed.isEmpty()) {
        throw new MalformedConfig(String.join("; ", malformed));
      }
    } catch (ProxmoxException.NodeUnreachable e) {
      unreachable(ProxmoxKeys.nodeScope(node), e.getMessage());
      return;
    } catch (ProxmoxException.PermissionDenied e) {
      problem(DiscoveryProblem.Kind.MISSING_PERMISSION, key, permissionMessage(e));
      keepPreviousOrRowOnly(row, before, sharedStorage, vnets);
      return;
    } catch (ProxmoxException e) {
      problem(DiscoveryProblem.Kind.CALL_FAILED, key, e.getMessage());
      keepPreviousOrRowOnly(row, before, sharedStorage, vnets);
      return;
    } catch (RuntimeException e) {
      problem(
          DiscoveryProblem.Kind.MALFORMED_RESOURCE,
          key,
          "config of " + key + " on " + node + " could not be read: " + e.getMessage());
      keepPreviousOrRowOnly(row, before, sharedStorage, vnets);
      return;
    }
    boolean running = "running".equals(row.status());
    List<GuestAgent.Interface> interfaces = null;
    if (running
        && type == GuestType.QEMU
        && options.guestAgent()
        && config.agent() != null
        && config.agent().enabled()
        && !agentDenied.get()) {
      interfaces = agentInterfaces(api, key, version);
    } else if (running
        && type == GuestType.LXC
        && version.parsed().lxcInterfaces()
        && !interfacesDenied.get()) {
      interfaces = lxcInterfaces(api, key);
    }
    List<Firewall.Rule> rules = List.of();
    boolean firewallNic = config.nets().values().stream().anyMatch(n -> n.firewall());
    if (options.guestFirewall() && firewallNic) {
      try {
        rules = api.firewallRules();
      } catch (ProxmoxException.NodeUnreachable e) {
        unreachable(ProxmoxKeys.nodeScope(node), e.getMessage());
        return;
      } catch (ProxmoxException e) {
        problem(
            e instanceof ProxmoxException.PermissionDenied pd
                ? DiscoveryProblem.Kind.MISSING_PERMISSION
                : DiscoveryProblem.Kind.CALL_FAILED,
            key,
            e instanceof ProxmoxException.PermissionDenied pd
                ? permissionMessage(pd)
                : e.getMessage());
        ConfigurationItem previousRules = previousByKey.get(ProxmoxKeys.guestFirewall(row.vmid()));
        if (previousRules != null) {
          put(previousRules);
          rules = null;
        }
      }
    }
    boolean hasRuleSet =
        rules == null
            ? previousByKey.containsKey(ProxmoxKeys.guestFirewall(row.vmid()))
            : !rules.isEmpty();
    Set<String> groups = rules == null ? Set.of() : ProxmoxMapper.referencedGroups(rules);
    put(
        mapper.guest(
            new ProxmoxMapper.GuestInputs(
                row, config, interfaces, hasRuleSet, groups, sharedStorage, vnets)));
    if (rules != null && !rules.isEmpty()) {
      put(
          mapper.ruleSet(
              ProxmoxKeys.guestFirewall(row.vmid()),
              "guest-firewall",
              RowSignature.name(row) + " firewall",
              ProxmoxKeys.nodeScope(node),
              rules));
    }
  }

  private List<GuestAgent.Interface> agentInterfaces(
      dev.nimbus.proxmox.client.GuestApi api, String key, VersionInfo version) {
    try {
      GuestAgent.Reply<List<GuestAgent.Interface>> reply = api.agentNetworkInterfaces();
      return reply.isError() ? null : reply.value();
    } catch (ProxmoxException.PermissionDenied e) {
      if (agentDenied.compareAndSet(false, true)) {
        problem(
            DiscoveryProblem.Kind.MISSING_PERMISSION,
            key,
            permissionMessage(e)
                + " (guest agent IP addresses need "
                + (version.parsed().guestAgentAuditPriv() ? "VM.GuestAgent.Audit" : "VM.Monitor")
                + "; reported once per run)");
      }
      return null;
    } catch (ProxmoxException e) {
      // An agent that is configured but not running answers 500; the IPs are simply unknown.
      return null;
    }
  }

  private List<GuestAgent.Interface> lxcInterfaces(
      dev.nimbus.proxmox.client.GuestApi api, String key) {
    try {
      return api.interfaces();
    } catch (ProxmoxException.PermissionDenied e) {
      if (interfacesDenied.compareAndSet(false, true)) {
        problem(DiscoveryProblem.Kind.MISSING_PERMISSION, key, permissionMessage(e));
      }
      return null;
    } catch (ProxmoxException e) {
      return null;
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
      put(
          mapper.guest(
              new ProxmoxMapper.GuestInputs(
                  row, null, null, false, Set.of(), sharedStorage, vnets)));
    }
  }

  private NodeData readNode(String node) {
    String scope = ProxmoxKeys.nodeScope(node);
    var api = client.node(node);
    List<NodeNetworkInterface> network = call(scope, "network of node " + node, api::network, null);
    List<Firewall.Rule> rules =
        call(scope, "firewall rules of node " + node, api::firewallRules, null);
    NodeStatus status = call(null, "status of node " + node, api::status, null);
    if (network == null) {
      return unreachableScopes.contains(scope) ? null : new NodeData(List.of(), rules, status);
    }
    return new NodeData(network, rules, status);
  }

  private SdnData readSdn(VersionInfo version) {
    String scope = ProxmoxKeys.SCOPE_SDN;
    attemptedScopes.add(scope);
    List<Sdn.Zone> zones = callOptional(scope, "SDN zones", () -> client.cluster().sdn().zones());
    List<Sdn.Vnet> vnets = callOptional(scope, "SDN vnets", () -> client.cluster().sdn().vnets());
    if (zones == null || vnets == null) {
      return null;
    }
    Map<String, List<Sdn.Subnet>> subnets = new TreeMap<>();
    Map<String, List<Firewall.Rule>> rules = new TreeMap<>();
    for (Sdn.Vnet v : vnets) {
      List<Sdn.Subnet> s =
          call(
              scope,
              "subnets of vnet " + v.vnet(),
              () -> client.cluster().sdn().subnets(v.vnet()),
              null);
      if (s == null) {
        return null;
      }
      subnets.put(v.vnet(), s);
      if (version.parsed().vnetFirewall()) {
        List<Firewall.Rule> r =
            callOptional(
                scope,
                "firewall rules of vnet " + v.vnet(),
                () -> client.cluster().sdn().vnetFirewallRules(v.vnet()));
        if (r == null) {
          return null;
        }
        rules.put(v.vnet(), r);
      }
    }
    Set<String> names = new TreeSet<>();
    vnets.forEach(v -> names.add(v.vnet()));
    return new SdnData(zones, vnets, subnets, rules, names);
  }

  private FirewallData readClusterFirewall() {
    String scope = ProxmoxKeys.SCOPE_FIREWALL;
    attemptedScopes.add(scope);
    var api = client.cluster().firewall();
    Firewall.Options options = call(scope, "cluster firewall options", api::options, null);
    List<Firewall.Rule> rules = call(scope, "cluster firewall rules", api::rules, null);
    List<Firewall.Group> groups = call(scope, "security groups", api::groups, null);
    List<Firewall.Alias> aliases = call(scope, "firewall aliases", api::aliases, null);
    List<Firewall.IpSet> ipsets = call(scope, "IP sets", api::ipsets, null);
    if (options == null || rules == null || groups == null || aliases == null || ipsets == null) {
      return null;
    }
    Map<Firewall.Group, List<Firewall.Rule>> groupRules = new LinkedHashMap<>();
    for (Firewall.Group g : groups) {
      List<Firewall.Rule> r =
          call(
              scope, "rules of security group " + g.group(), () -> api.groupRules(g.group()), null);
      if (r == null) {
        return null;
      }
      groupRules.put(g, r);
    }
    Map<String, List<Firewall.IpSetEntry>> entries = new TreeMap<>();
    for (Firewall.IpSet s : ipsets) {
      List<Firewall.IpSetEntry> e =
          call(scope, "entries of IP set " + s.name(), () -> api.ipset(s.name()), null);
      if (e == null) {
        return null;
      }
      entries.put(s.name(), e);
    }
    return new FirewallData(options, rules, groupRules, aliases, entries);
  }

  private void addStorage(
      List<StorageConfig> configs, List<ClusterResource> resources, Set<String> onlineNodes) {
    Map<String, StorageConfig> byId = new HashMap<>();
    for (StorageConfig c : configs) {
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
   * Guests touched by a task since the last run, with who did it: the newest such task per guest.
   * The task log is cluster-wide and keeps finished tasks, so one call covers every node.
   */
  static Map<Integer, Attribution> touchedByTasks(
      List<Task> tasks, long sinceEpochSecond, Set<String> seenAtCursor) {
    Map<Integer, Attribution> out = new HashMap<>();
    Map<Integer, Instant> newest = new HashMap<>();
    for (Task t : tasks) {
      Instant when = taskTime(t);
      // The cursor is in whole seconds: tasks of the cursor's own second were seen by the last
      // run, unless they are missing from the UPIDs it remembered for that second.
      if (when == null
          || when.getEpochSecond() < sinceEpochSecond
          || (when.getEpochSecond() == sinceEpochSecond && seenAtCursor.contains(t.upidText()))) {
        continue;
      }
      Integer vmid = t.upid() != null ? t.upid().vmid() : parseVmid(t.id());
      if (vmid == null) {
        continue;
      }
      Instant seen = newest.get(vmid);
      if (seen == null || when.isAfter(seen)) {
        newest.put(vmid, when);
        out.put(vmid, new Attribution(t.user(), t.upidText(), t.type(), when));
      }
    }
    return out;
  }

  /** When a task last touched its guest: its end, or its start while it still runs. */
  private static Instant taskTime(Task t) {
    return t.endtime() != null ? t.endtime() : t.starttime();
  }

  /** The cursor for the next run: the newest task second and the UPIDs of that second. */
  static Map<String, String> taskCursor(List<Task> tasks, long previousSince) {
    long newest = Math.max(previousSince, 0);
    for (Task t : tasks) {
      Instant when = taskTime(t);
      if (when != null && when.getEpochSecond() > newest) {
        newest = when.getEpochSecond();
      }
    }
    TreeSet<String> atNewest = new TreeSet<>();
    for (Task t : tasks) {
      Instant when = taskTime(t);
      if (when != null && when.getEpochSecond() == newest && t.upidText() != null) {
        atNewest.add(t.upidText());
      }
    }
    Map<String, String> out = new TreeMap<>();
    out.put(STATE_TASKS_SINCE, Long.toString(newest));
    out.put(STATE_TASKS_AT_CURSOR, String.join(",", atNewest));
    return out;
  }

  private static Integer parseVmid(String id) {
    if (id == null || id.isEmpty() || !id.chars().allMatch(Character::isDigit) || id.length() > 9) {
      return null;
    }
    return Integer.valueOf(id);
  }

  private static Set<String> seenAtCursor(Map<String, String> state) {
    String joined = state.get(STATE_TASKS_AT_CURSOR);
    return joined == null || joined.isEmpty() ? Set.of() : Set.of(joined.split(","));
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
    return nodes.size() == 1 ? nodes.iterator().next() : "proxmox";
  }

  /**
   * Calls a list endpoint of a scope. A node that does not answer makes its scope unreachable, any
   * other failure leaves the scope incomplete; both are reported and {@code fallback} is returned.
   */
  private <T> T call(String scope, String what, Supplier<T> call, T fallback) {
    try {
      return call.get();
    } catch (ProxmoxException.NodeUnreachable e) {
      if (scope != null && scope.startsWith("node/")) {
        unreachable(scope, e.getMessage());
      } else {
        failed(scope, DiscoveryProblem.Kind.SCOPE_UNREACHABLE, what + ": " + e.getMessage());
      }
    } catch (ProxmoxException.PermissionDenied e) {
      failed(scope, DiscoveryProblem.Kind.MISSING_PERMISSION, what + ": " + permissionMessage(e));
    } catch (ProxmoxException e) {
      failed(scope, DiscoveryProblem.Kind.CALL_FAILED, what + ": " + e.getMessage());
    } catch (RuntimeException e) {
      failed(
          scope,
          DiscoveryProblem.Kind.MALFORMED_RESOURCE,
          what + " could not be parsed: " + e.getMessage());
    }
    return fallback;
  }

  /** Like {@link #call}, but an endpoint the server does not have (501) means "none". */
  private <T> List<T> callOptional(String scope, String what, Supplier<List<T>> call) {
    try {
      return call.get();
    } catch (ProxmoxException.NotImplemented | ProxmoxException.NotFound e) {
      return List.of();
    } catch (RuntimeException e) {
      return call(
          scope,
          what,
          () -> {
            throw e;
          },
          null);
    }
  }

  private void failed(String scope, DiscoveryProblem.Kind kind, String message) {
    if (scope != null) {
      failedScopes.add(scope);
    }
    problem(kind, scope == null ? ProxmoxKeys.SCOPE_CLUSTER : scope, message);
  }

  private void unreachable(String scope, String message) {
    if (unreachableScopes.add(scope)) {
      problem(DiscoveryProblem.Kind.SCOPE_UNREACHABLE, scope, message);
    }
  }

  private void problem(DiscoveryProblem.Kind kind, String subject, String message) {
    problems.add(new DiscoveryProblem(kind, subject, message));
  }

  private void put(ConfigurationItem ci) {
    items.put(ci.nativeKey(), ci);
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

  private static long parseLong(String s, long fallback) {
    if (s == null) {
      return fallback;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
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
      throw new IllegalStateException(e.getCause());
    }
  }

  private record NodeData(
      List<NodeNetworkInterface> network, List<Firewall.Rule> firewallRules, NodeStatus status) {}

  private record SdnData(
      List<Sdn.Zone> zones,
      List<Sdn.Vnet> vnets,
      Map<String, List<Sdn.Subnet>> subnets,
      Map<String, List<Firewall.Rule>> vnetRules,
      Set<String> vnetNames) {}

  private record FirewallData(
      Firewall.Options options,
      List<Firewall.Rule> rules,
      Map<Firewall.Group, List<Firewall.Rule>> groups,
      List<Firewall.Alias> aliases,
      Map<String, List<Firewall.IpSetEntry>> ipsets) {}

  private static final class MalformedConfig extends RuntimeException {
    MalformedConfig(String message) {
      super(message);
    }
  }
}
