package dev.nimbus.proxmox.provider;

import dev.nimbus.model.Attribution;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.Relationship;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.model.ClusterLogEntry;
import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.model.ClusterStatusEntry;
import dev.nimbus.proxmox.client.model.NodeSummary;
import dev.nimbus.proxmox.client.model.Pool;
import dev.nimbus.proxmox.client.model.StorageConfig;
import dev.nimbus.proxmox.client.model.Task;
import dev.nimbus.proxmox.client.model.VersionInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
  private final ClusterReads reads;
  private final SnapshotAssembly assembly;
  private final GuestReads guests;
  private final Map<String, Attribution> attributions = new ConcurrentHashMap<>();
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
    this.reads = new ClusterReads(client, book);
    this.assembly = new SnapshotAssembly(mapper, this.previous, book);
    this.guests =
        new GuestReads(client, mapper, options, this.previous, book, assembly, attributions);
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
              () ->
                  reads.call("cluster/status", "cluster status", () -> client.cluster().status()));
      Future<List<NodeSummary>> nodeSummaries =
          pool.submit(() -> reads.call("cluster/nodes", "node list", client::nodes));
      Future<List<StorageConfig>> storage =
          pool.submit(
              () ->
                  reads.call(
                      ProxmoxKeys.SCOPE_STORAGE,
                      "storage configuration",
                      () -> client.storage().config()));
      Future<List<Pool>> pools =
          pool.submit(
              () -> reads.call(ProxmoxKeys.SCOPE_POOLS, "pool list", () -> client.pools().list()));
      Future<ClusterReads.SdnData> sdn = pool.submit(() -> reads.sdn(version));
      Future<ClusterReads.FirewallData> firewall = pool.submit(reads::clusterFirewall);
      Future<List<Task>> tasks =
          pool.submit(
              () ->
                  reads.call("cluster/tasks", "cluster task log", () -> client.cluster().tasks()));
      Future<Boolean> syslog =
          pool.submit(() -> checkSyslog ? reads.syslogPermission() : cursor.syslog());
      Map<String, Future<ClusterReads.NodeData>> nodeData = new TreeMap<>();
      for (String node : onlineNodes) {
        nodeData.put(node, pool.submit(() -> reads.node(node)));
      }
      Boolean hasSyslog = get(syslog);
      List<ClusterLogEntry> log =
          Boolean.TRUE.equals(hasSyslog)
              ? // Without the log, edits are still found by rows, tasks and the sweep.
              reads.call(
                  "cluster/log", "cluster log", () -> client.cluster().log(CLUSTER_LOG_LINES))
              : null;

      ClusterReads.SdnData sdnData = get(sdn);
      ClusterReads.FirewallData fw = get(firewall);
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
      assembly.tenancy(statusEntries, version, nodeRows.keySet(), fw);
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
      Map<String, ClusterReads.NodeData> nodes = new TreeMap<>();
      for (var e : nodeData.entrySet()) {
        nodes.put(e.getKey(), get(e.getValue()));
      }
      List<Pool> poolList = get(pools);
      if (poolList != null) {
        for (Pool p : poolList) {
          if (p != null && p.poolid() != null && inPoolScope(p.poolid())) {
            assembly.put(mapper.pool(p));
          }
        }
      } else {
        book.failed(ProxmoxKeys.SCOPE_POOLS);
        assembly.keepFamily("pool/");
      }
      if (storageConfigs != null) {
        assembly.addStorage(storageConfigs, resources, onlineNodes);
      } else {
        book.failed(ProxmoxKeys.SCOPE_STORAGE);
        assembly.keepFamily("storage/");
      }
      assembly.addSdn(sdnData);
      assembly.addClusterFirewall(fw);
      for (var e : nodes.entrySet()) {
        assembly.addNodeContent(e.getKey(), e.getValue());
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
      // A list the guests' edges depend on failed transiently: the guests read now may miss edges
      // the previous CIs could not supply, so the next run reads them all again. A missing
      // privilege (SDN.Audit is optional) is lasting and does not count.
      boolean dependenciesDegraded =
          (storageConfigs == null && !reads.denied(ProxmoxKeys.SCOPE_STORAGE))
              || ((sdnData == null || sdnData.vnets() == null)
                  && !reads.denied(ProxmoxKeys.SCOPE_SDN + "/vnets"));
      Set<String> knownTargets = new HashSet<>(assembly.items().keySet());
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
          assembly.putUnreachable(previous.unreachable(guests.rowOnly(row, sharedStorage, vnets)));
          continue;
        }
        if (cursor.rereadAll()
            || needsRead(row, before, touched.contains(row.vmid()), runNumber, knownTargets)) {
          if (dependenciesDegraded) {
            guestsReadDegraded.set(true);
          }
          guestReads.add(
              pool.submit(() -> guests.read(row, before, version, sharedStorage, vnets, changes)));
        } else {
          guests.carryOver(row, before);
        }
      }
      for (Future<?> f : guestReads) {
        get(f);
      }
      creditDestroyedGuests(guestRows, changes);

      // Hosts last: a node whose calls failed during the run is unreachable by now.
      for (var e : nodeRows.entrySet()) {
        if (selectedNodes.contains(e.getKey())) {
          assembly.host(
              e.getValue(),
              nodes.get(e.getKey()),
              summaries,
              summaryList == null,
              nodeIps,
              statusEntries == null);
        } else {
          // A node outside the connection's scope: listed, not read; its facts stay as they were.
          ConfigurationItem before = previous.get(ProxmoxKeys.node(e.getKey()));
          assembly.put(
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

      assembly.distrustUnreachableScopes();
      assembly.checkRelationships();

      ChangeCursor next = nextCursor(cursor, runNumber, taskList, log, hasSyslog, checkSyslog);
      return new DiscoverySnapshot(
          factory.connection(),
          startedAt,
          new ArrayList<>(new TreeMap<>(assembly.items()).values()),
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
}
