package dev.nimbus.pvesim;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The simulated cluster's whole state: nodes, guests, pools, storage, network, SDN, firewall, HA,
 * tasks and access control. Reads run under a shared lock, changes under an exclusive one; every
 * change goes through the same methods whether it comes from the API or from {@link Admin}, so both
 * leave the same traces (digest, task with the acting user).
 */
public final class Cluster {
  private static final int MAX_TASKS = 2000;
  // pmxcfs keeps the cluster log in a fixed-size ring buffer; older lines fall out.
  private static final int MAX_LOG_LINES = 5000;
  private static final int INFO = 6;

  /**
   * Keys qemu-server applies to a running VM at once ({@code $fast_plug_option}, cloud-init keys
   * included); everything else waits in the pending section unless the VM's {@code hotplug} setting
   * covers it.
   */
  private static final Pattern QEMU_FAST_PLUG =
      Pattern.compile(
          "name|description|onboot|protection|tags|startup|shares|hookscript|lock|tdf"
              + "|migrate_downtime|migrate_speed|vmstatestorage"
              + "|ciuser|cipassword|citype|cicustom|ciupgrade|sshkeys|nameserver|searchdomain"
              + "|ipconfig\\d+");

  /** How a config change arrived, which decides the traces it leaves. */
  enum ConfigCall {
    /** {@code PUT .../config} (web UI, {@code qm set}): a cluster log line for QEMU, no task. */
    SYNC,
    /** {@code POST .../config} (QEMU only): the log line and a {@code qmconfig} task. */
    ASYNC,
    /** Behind the API's back (a hand-edited config file): no trace at all. */
    UNLOGGED
  }

  /** What a config change left behind: the task (async only) and the log line (QEMU only). */
  record ConfigChange(Task task, ClusterLogLine logLine) {}

  private static final Pattern QEMU_KEYS =
      Pattern.compile(
          "name|memory|balloon|cores|sockets|cpu|cpulimit|cpuunits|vcpus|numa|ostype|agent|boot|bios|machine"
              + "|scsihw|onboot|protection|tags|template|description|lock|vmgenid|smbios1|meta|kvm|acpi|tablet"
              + "|hotplug|startup|args|affinity|hookscript|localtime|citype|ciuser|cipassword|sshkeys"
              + "|nameserver|searchdomain|vga|serial\\d|usb\\d|hostpci\\d+|efidisk0|tpmstate0|rng0"
              + "|(net|ipconfig)\\d+|(scsi|virtio|sata|ide|unused)\\d+");
  private static final Pattern LXC_KEYS =
      Pattern.compile(
          "hostname|memory|swap|cores|cpulimit|cpuunits|ostype|arch|onboot|protection|tags|template"
              + "|description|lock|unprivileged|features|nameserver|searchdomain|startup|console|tty|cmode"
              + "|hookscript|rootfs|lxc|(net|mp|dev|unused)\\d+");

  final PveVersion version;
  final long seed;
  final String name;
  final Clock clock;
  final long bootEpoch;
  final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  final Map<String, Node> nodes = new LinkedHashMap<>();
  final TreeMap<Integer, Guest> guests = new TreeMap<>();
  final Map<String, Pool> pools = new TreeMap<>();
  final List<Storage> storages = new ArrayList<>();
  final ClusterFirewall firewall = new ClusterFirewall();
  final Map<String, Sdn.Zone> zones = new TreeMap<>();
  final Map<String, Sdn.Vnet> vnets = new TreeMap<>();
  final List<Sdn.Subnet> subnets = new ArrayList<>();
  final Deque<Task> tasks = new ArrayDeque<>();

  /** Newest first, as pmxcfs dumps it. */
  final Deque<ClusterLogLine> clusterLog = new ArrayDeque<>();

  private final Map<String, Long> logUid = new LinkedHashMap<>();

  /** A single node without a cluster ({@code pvecm} never run): no cluster row in the status. */
  boolean standalone;

  final AccessControl access;
  NodeCertificate pkiCa;
  private long taskSequence;

  Cluster(PveVersion version, long seed, String name, Clock clock) {
    this.version = version;
    this.seed = seed;
    this.name = name;
    this.clock = clock;
    this.bootEpoch = clock.instant().getEpochSecond() - 86_400 * 12 - (Math.floorMod(seed, 86_400));
    this.access = new AccessControl(version, clock);
  }

  public PveVersion version() {
    return version;
  }

  public String name() {
    return name;
  }

  public long seed() {
    return seed;
  }

  public List<Node> nodes() {
    return read(() -> List.copyOf(nodes.values()));
  }

  public Node node(String node) {
    Node n = nodes.get(node);
    if (n == null) {
      throw new IllegalArgumentException("No node " + node);
    }
    return n;
  }

  public List<Guest> guests() {
    return read(() -> List.copyOf(guests.values()));
  }

  public Guest guest(int vmid) {
    return read(
        () -> {
          Guest g = guests.get(vmid);
          if (g == null) {
            throw new IllegalArgumentException("No guest " + vmid);
          }
          return g;
        });
  }

  public List<String> poolIds() {
    return read(() -> List.copyOf(pools.keySet()));
  }

  /** Members (vmids) of a pool. */
  public List<Integer> poolMembers(String poolid) {
    return read(() -> List.copyOf(pools.get(poolid).vmids));
  }

  /** The most recent tasks, newest first. */
  public List<Task> tasks() {
    return read(() -> List.copyOf(tasks));
  }

  /** The cluster log, newest first. */
  public List<ClusterLogLine> clusterLog() {
    return read(() -> List.copyOf(clusterLog));
  }

  /** True when this is a single node that is not part of a cluster. */
  public boolean standalone() {
    return standalone;
  }

  <T> T read(Supplier<T> body) {
    lock.readLock().lock();
    try {
      return body.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  <T> T write(Supplier<T> body) {
    lock.writeLock().lock();
    try {
      return body.get();
    } finally {
      lock.writeLock().unlock();
    }
  }

  long now() {
    return clock.instant().getEpochSecond();
  }

  // ---- building (layouts) ----

  void addNode(Node node) {
    nodes.put(node.name(), node);
  }

  void addGuest(Guest guest) {
    guests.put(guest.vmid(), guest);
    if (guest.pool != null) {
      pools.get(guest.pool).vmids.add(guest.vmid());
    }
  }

  Pool addPool(String id, String comment) {
    return pools.computeIfAbsent(id, k -> new Pool(id, comment));
  }

  /** The pool an ACL path belongs to: guests ({@code /vms/<id>}) and storage in a pool. */
  String poolOfPath(String path) {
    if (path.startsWith("/vms/")) {
      try {
        Guest g = guests.get(Integer.parseInt(path.substring(5)));
        return g == null ? null : g.pool;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (path.startsWith("/storage/")) {
      String sid = path.substring(9);
      for (Pool p : pools.values()) {
        if (p.storages.contains(sid)) {
          return p.id;
        }
      }
    }
    return null;
  }

  // ---- changes (API and Admin) ----

  /**
   * Logs a finished task, and the two cluster log lines pvedaemon writes for every worker it forks
   * ({@code starting task UPID...}, {@code end task UPID... OK}).
   */
  Task logTask(String node, String type, String id, String user) {
    long now = now();
    taskSequence++;
    long pid = 100_000 + Math.floorMod(seed * 31 + taskSequence * 7919, 3_000_000);
    long pstart = (now - bootEpoch) * 100 + taskSequence;
    Task task = new Task(node, pid, pstart, now, now + 1, type, id, user);
    tasks.addFirst(task);
    while (tasks.size() > MAX_TASKS) {
      tasks.removeLast();
    }
    log(node, user, INFO, "starting task " + task.upid(), now);
    // Written when it is written: a log line is never stamped in the future (a cursor that has
    // seen a line of second T must not skip a later line of second T).
    log(node, user, INFO, "end task " + task.upid() + " OK", now);
    return task;
  }

  /** Appends a line to the cluster log as pvedaemon on {@code node} writes it. */
  ClusterLogLine log(String node, String user, int pri, String msg, long time) {
    long uid =
        logUid.merge(
            node, 1L + Math.floorMod(seed * 17 + node.hashCode(), 40_000), (a, b) -> a + 1);
    ClusterLogLine line =
        new ClusterLogLine(uid, time, pri, "pvedaemon", daemonPid(node), node, user, msg);
    clusterLog.addFirst(line);
    while (clusterLog.size() > MAX_LOG_LINES) {
      clusterLog.removeLast();
    }
    return line;
  }

  /** The pid of the pvedaemon worker that answers API calls on a node (stable per node). */
  long daemonPid(String node) {
    return 1000 + Math.floorMod(seed * 7 + node.hashCode() * 31L, 8000);
  }

  Guest requireGuest(int vmid) {
    Guest g = guests.get(vmid);
    if (g == null) {
      throw ApiException.notFound(
          "Configuration file 'nodes/*/qemu-server/" + vmid + ".conf' does not exist");
    }
    return g;
  }

  /**
   * Applies a config change as qemu-server and pve-container do. QEMU: every change goes to the
   * pending section first; on a stopped VM all pending changes are applied at once, on a running
   * one only the keys it can take live (fast-plug keys, and what its {@code hotplug} setting
   * allows) while the rest stays pending until the next start. QEMU changes write a cluster log
   * line {@code update VM <vmid>: -<key> <value> ...} with the acting user; only the asynchronous
   * API also runs a {@code qmconfig} task. LXC changes apply at once and leave neither. {@code
   * validate=false} lets the admin API write anything (to corrupt a config on purpose).
   *
   * @param logged the request parameters as the log line shows them (sorted, without node, vmid and
   *     digest), or null to derive them from {@code set} and {@code delete}
   */
  ConfigChange updateConfig(
      int vmid,
      Map<String, String> set,
      Collection<String> delete,
      Collection<String> revert,
      String digest,
      String user,
      boolean validate,
      ConfigCall how,
      Map<String, String> logged) {
    return write(
        () -> {
          Guest g = requireGuest(vmid);
          if (digest != null && !digest.isEmpty() && !digest.equals(g.digest())) {
            throw new ApiException(
                500, "detected modified configuration - file changed by other user? Try again.");
          }
          if (validate) {
            validateKeys(g.type(), set.keySet());
            validateKeys(g.type(), delete);
            validateKeys(g.type(), revert);
          }
          if (validate
              && "1".equals(g.config.get("template"))
              && set.containsKey("template")
              && !"1".equals(set.get("template"))) {
            throw ApiException.parameter("template", "cannot convert a template back to a VM");
          }
          boolean qemu = g.type() == GuestType.QEMU;
          ClusterLogLine line = null;
          if (qemu && how != ConfigCall.UNLOGGED) {
            line =
                log(
                    g.node,
                    user,
                    INFO,
                    "update VM " + vmid + ": " + logText(set, delete, logged),
                    now());
          }
          Map<String, String> values = new LinkedHashMap<>();
          set.forEach(
              (k, v) -> values.put(k, k.equals("tags") ? PropertyStrings.normaliseTags(v) : v));
          if (!qemu || how == ConfigCall.UNLOGGED) {
            // LXC (and a hand edit): straight into the config.
            g.config.putAll(values);
            delete.forEach(g.config::remove);
          } else {
            for (String key : revert) {
              g.pending.remove(key);
              g.pendingDelete.remove(key);
            }
            for (String key : delete) {
              g.pending.remove(key);
              if (g.config.containsKey(key)) {
                g.pendingDelete.add(key);
              }
            }
            for (Map.Entry<String, String> e : values.entrySet()) {
              g.pending.put(e.getKey(), e.getValue());
              g.pendingDelete.remove(e.getKey());
            }
            applyPending(g, !g.running);
          }
          Task task =
              qemu && how == ConfigCall.ASYNC
                  ? logTask(g.node, "qmconfig", String.valueOf(vmid), user)
                  : null;
          return new ConfigChange(task, line);
        });
  }

  /**
   * Moves pending changes into the config: all of them ({@code all}, a VM that is not running or
   * starts), or only what a running VM takes live. Pending values equal to the config are dropped,
   * like {@code cleanup_pending}.
   */
  static void applyPending(Guest g, boolean all) {
    for (String key : List.copyOf(g.pendingDelete)) {
      if (all || hotpluggable(g, key)) {
        g.config.remove(key);
        g.pendingDelete.remove(key);
      }
    }
    for (Map.Entry<String, String> e : List.copyOf(g.pending.entrySet())) {
      if (all || hotpluggable(g, e.getKey())) {
        g.config.put(e.getKey(), e.getValue());
        g.pending.remove(e.getKey());
      } else if (e.getValue().equals(g.config.get(e.getKey()))) {
        g.pending.remove(e.getKey());
      }
    }
  }

  /**
   * Whether a running VM takes a key live: fast-plug keys always; network devices, disks and USB
   * with the matching {@code hotplug} feature (default {@code network,disk,usb}); {@code memory}
   * only with memory hotplug, {@code vcpus} only with CPU hotplug; {@code balloon}, {@code
   * cpulimit} and {@code cpuunits} are set through QMP and cgroups. {@code cores}, {@code sockets},
   * {@code cpu}, {@code machine}, {@code bios} and the rest wait for the next start.
   */
  static boolean hotpluggable(Guest g, String key) {
    if (QEMU_FAST_PLUG.matcher(key).matches()) {
      return true;
    }
    if (key.matches("balloon|cpulimit|cpuunits|hotplug")) {
      return true;
    }
    Set<String> hotplug = hotplugFeatures(g.config.get("hotplug"));
    if (key.matches("net\\d+")) {
      return hotplug.contains("network");
    }
    if (key.matches("(scsi|virtio|sata|ide|unused)\\d+")) {
      return hotplug.contains("disk");
    }
    if (key.matches("usb\\d+")) {
      return hotplug.contains("usb");
    }
    if (key.equals("memory")) {
      return hotplug.contains("memory");
    }
    if (key.equals("vcpus")) {
      return hotplug.contains("cpu");
    }
    return false;
  }

  private static Set<String> hotplugFeatures(String value) {
    if (value == null || value.equals("1")) {
      return Set.of("network", "disk", "usb");
    }
    if (value.equals("0")) {
      return Set.of();
    }
    return Set.of(value.split("\\s*,\\s*"));
  }

  /**
   * The parameters of a config update as qemu-server logs them: {@code -key value} pairs in key
   * order, {@code cipassword} hidden.
   */
  private static String logText(
      Map<String, String> set, Collection<String> delete, Map<String, String> logged) {
    Map<String, String> params = new TreeMap<>();
    if (logged != null) {
      params.putAll(logged);
    } else {
      params.putAll(set);
      if (!delete.isEmpty()) {
        params.put("delete", String.join(",", delete));
      }
    }
    StringBuilder text = new StringBuilder();
    params.forEach(
        (k, v) -> {
          if (!text.isEmpty()) {
            text.append(' ');
          }
          text.append('-').append(k).append(' ').append(k.equals("cipassword") ? "<hidden>" : v);
        });
    return text.toString();
  }

  private static void validateKeys(GuestType type, Collection<String> keys) {
    Pattern allowed = type == GuestType.QEMU ? QEMU_KEYS : LXC_KEYS;
    for (String key : keys) {
      if (!allowed.matcher(key).matches()) {
        throw ApiException.parameter(
            key,
            "property is not defined in schema and the schema does not allow additional properties");
      }
    }
  }

  Task createGuest(
      GuestType type, String node, int vmid, Map<String, String> config, String pool, String user) {
    return write(
        () -> {
          if (!nodes.containsKey(node)) {
            throw ApiException.parameter("node", "no such cluster node '" + node + "'");
          }
          if (guests.containsKey(vmid)) {
            throw new ApiException(
                500,
                "unable to create VM "
                    + vmid
                    + " - VM "
                    + vmid
                    + " already exists on node '"
                    + guests.get(vmid).node
                    + "'");
          }
          if (pool != null && !pools.containsKey(pool)) {
            throw new ApiException(500, "pool '" + pool + "' does not exist");
          }
          validateKeys(type, config.keySet());
          Guest g = new Guest(vmid, type, node);
          g.config.putAll(config);
          if (config.containsKey("tags")) {
            g.config.put("tags", PropertyStrings.normaliseTags(config.get("tags")));
          }
          if (type == GuestType.QEMU) {
            g.config.putIfAbsent(
                "smbios1", "uuid=" + new java.util.UUID(seed ^ vmid, vmid * 0x9E3779B97F4A7C15L));
            g.config.putIfAbsent("vmgenid", new java.util.UUID(vmid * 31L, seed).toString());
          }
          g.pool = pool;
          addGuest(g);
          return logTask(
              node, type == GuestType.QEMU ? "qmcreate" : "vzcreate", String.valueOf(vmid), user);
        });
  }

  Task deleteGuest(int vmid, String user) {
    return write(
        () -> {
          Guest g = requireGuest(vmid);
          if (g.running) {
            throw new ApiException(500, "VM " + vmid + " is running - destroy failed");
          }
          if ("1".equals(g.config.get("protection"))) {
            throw new ApiException(500, "can't remove VM " + vmid + " - protection mode enabled");
          }
          guests.remove(vmid);
          pools.values().forEach(p -> p.vmids.remove(vmid));
          return logTask(
              g.node,
              g.type() == GuestType.QEMU ? "qmdestroy" : "vzdestroy",
              String.valueOf(vmid),
              user);
        });
  }

  Task migrate(int vmid, String target, boolean online, String user) {
    return write(
        () -> {
          Guest g = requireGuest(vmid);
          if (!nodes.containsKey(target)) {
            throw ApiException.parameter("target", "no such cluster node '" + target + "'");
          }
          if (target.equals(g.node)) {
            throw ApiException.parameter("target", "target is local node.");
          }
          if (!nodes.get(target).online) {
            throw new ApiException(500, "target node '" + target + "' is not online");
          }
          if (g.running && g.type() == GuestType.QEMU && !online) {
            throw new ApiException(500, "can't migrate running VM without --online");
          }
          String source = g.node;
          g.node = target;
          return logTask(
              source,
              g.type() == GuestType.QEMU ? "qmigrate" : "vzmigrate",
              String.valueOf(vmid),
              user);
        });
  }

  Task startStop(int vmid, boolean start, String user) {
    return write(
        () -> {
          Guest g = requireGuest(vmid);
          if (g.template()) {
            throw new ApiException(500, "you can't start a vm if it's a template");
          }
          g.running = start;
          g.startedAt = now();
          if (!start) {
            g.agentRunning = false;
          } else {
            // qemu-server applies pending changes when the VM starts, not when it stops.
            applyPending(g, true);
            g.agentRunning = g.agentEnabled();
          }
          String prefix = g.type() == GuestType.QEMU ? "qm" : "vz";
          return logTask(g.node, prefix + (start ? "start" : "stop"), String.valueOf(vmid), user);
        });
  }

  /**
   * Reboots a running guest (shutdown and start in one task): pending changes are applied, as at
   * any start.
   */
  Task reboot(int vmid, String user) {
    return write(
        () -> {
          Guest g = requireGuest(vmid);
          if (!g.running) {
            throw new ApiException(500, "VM " + vmid + " not running");
          }
          applyPending(g, true);
          g.startedAt = now();
          g.agentRunning = g.agentEnabled();
          String prefix = g.type() == GuestType.QEMU ? "qm" : "vz";
          return logTask(g.node, prefix + "reboot", String.valueOf(vmid), user);
        });
  }

  void setPoolMembers(
      String poolid,
      Collection<Integer> vmids,
      Collection<String> storages,
      boolean remove,
      boolean allowMove) {
    Pool p = pools.get(poolid);
    if (p == null) {
      throw new ApiException(500, "pool '" + poolid + "' does not exist");
    }
    for (int vmid : vmids) {
      Guest g = requireGuest(vmid);
      if (remove) {
        p.vmids.remove(vmid);
        if (poolid.equals(g.pool)) {
          g.pool = null;
        }
      } else {
        if (g.pool != null && !g.pool.equals(poolid)) {
          if (!allowMove) {
            throw new ApiException(500, "VM " + vmid + " belongs already to pool '" + g.pool + "'");
          }
          pools.get(g.pool).vmids.remove(vmid);
        }
        g.pool = poolid;
        p.vmids.add(vmid);
      }
    }
    for (String s : storages) {
      if (remove) {
        p.storages.remove(s);
      } else {
        p.storages.add(s);
      }
    }
  }
}
