package dev.nimbus.pvesim;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    return task;
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
   * Applies a config change. {@code validate=false} lets the admin API write anything (to corrupt a
   * config on purpose). Changes that cannot be hot-plugged into a running VM become pending.
   */
  Task updateConfig(
      int vmid,
      Map<String, String> set,
      Collection<String> delete,
      String digest,
      String user,
      boolean validate) {
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
          }
          if (validate
              && "1".equals(g.config.get("template"))
              && set.containsKey("template")
              && !"1".equals(set.get("template"))) {
            throw ApiException.parameter("template", "cannot convert a template back to a VM");
          }
          for (Map.Entry<String, String> e : set.entrySet()) {
            String value =
                e.getKey().equals("tags")
                    ? PropertyStrings.normaliseTags(e.getValue())
                    : e.getValue();
            if (g.running && g.type() == GuestType.QEMU && coldPlugOnly(e.getKey())) {
              g.pending.put(e.getKey(), value);
            } else {
              g.config.put(e.getKey(), value);
              g.pending.remove(e.getKey());
            }
          }
          for (String key : delete) {
            g.config.remove(key);
            g.pending.remove(key);
          }
          return logTask(
              g.node,
              g.type() == GuestType.QEMU ? "qmconfig" : "vzconfig",
              String.valueOf(vmid),
              user);
        });
  }

  private static boolean coldPlugOnly(String key) {
    return key.equals("sockets")
        || key.equals("cpu")
        || key.equals("machine")
        || key.equals("bios");
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
            // Pending changes are applied when the guest stops.
            g.config.putAll(g.pending);
            g.pending.clear();
            g.agentRunning = false;
          } else {
            g.agentRunning = g.agentEnabled();
          }
          String prefix = g.type() == GuestType.QEMU ? "qm" : "vz";
          return logTask(g.node, prefix + (start ? "start" : "stop"), String.valueOf(vmid), user);
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
