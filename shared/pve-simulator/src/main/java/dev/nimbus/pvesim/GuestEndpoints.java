package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * QEMU and LXC endpoints: lists, config (read and change), status, rrddata, agent, interfaces,
 * create, delete, migrate.
 */
final class GuestEndpoints {
  private static final Set<String> CONTROL_PARAMS =
      Set.of(
          "node",
          "vmid",
          "digest",
          "delete",
          "revert",
          "skiplock",
          "background_delay",
          "force",
          "skip_cloud_init");

  /** Parameters qemu-server takes out before it writes the {@code update VM} log line. */
  private static final Set<String> NOT_LOGGED =
      Set.of("node", "vmid", "digest", "background_delay", "skip_cloud_init");

  private final Cluster cluster;
  private final Views views;

  GuestEndpoints(Cluster cluster, Views views) {
    this.cluster = cluster;
    this.views = views;
  }

  void register(Router r) {
    for (GuestType type : GuestType.values()) {
      String base = "/nodes/{node}/" + type.apiName();
      r.get(base, c -> cluster.read(() -> list(c, type)));
      r.add("POST", base, c -> create(c, type));
      r.add("DELETE", base + "/{vmid}", c -> delete(c, type));
      r.get(base + "/{vmid}/config", c -> cluster.read(() -> config(c, type)));
      r.add("PUT", base + "/{vmid}/config", c -> updateConfig(c, type, false));
      if (type == GuestType.QEMU) {
        r.add("POST", base + "/{vmid}/config", c -> updateConfig(c, type, true));
        r.get(
            base + "/{vmid}/agent/network-get-interfaces", c -> cluster.read(() -> agent(c, true)));
        r.get(base + "/{vmid}/agent/get-fsinfo", c -> cluster.read(() -> agent(c, false)));
      }
      r.get(base + "/{vmid}/pending", c -> cluster.read(() -> pending(c, type)));
      r.get(base + "/{vmid}/status/current", c -> cluster.read(() -> status(c, type)));
      r.get(base + "/{vmid}/rrddata", c -> cluster.read(() -> rrd(c, type)));
      r.add("POST", base + "/{vmid}/migrate", c -> migrate(c, type));
      r.add("POST", base + "/{vmid}/status/start", c -> startStop(c, type, true));
      r.add("POST", base + "/{vmid}/status/stop", c -> startStop(c, type, false));
      r.add("POST", base + "/{vmid}/status/reboot", c -> reboot(c, type));
      if (type == GuestType.LXC && cluster.version.hasLxcInterfaces()) {
        r.get(base + "/{vmid}/interfaces", c -> cluster.read(() -> interfaces(c)));
      }
    }
  }

  /** The guest addressed by node + vmid; wrong node or type answers like Proxmox. */
  private Guest guest(Call c, GuestType type) {
    Node node = ClusterEndpoints.node(c);
    int vmid = c.vmid();
    Guest g = cluster.guests.get(vmid);
    if (g == null || g.type() != type || !g.node.equals(node.name())) {
      String dir = type == GuestType.QEMU ? "qemu-server" : "lxc";
      throw new ApiException(
          500,
          "Configuration file 'nodes/"
              + node.name()
              + "/"
              + dir
              + "/"
              + vmid
              + ".conf' does not exist");
    }
    return g;
  }

  private Object list(Call c, GuestType type) {
    Node node = ClusterEndpoints.node(c);
    List<Object> out = new ArrayList<>();
    for (Guest g : cluster.guests.values()) {
      if (g.type() == type && g.node.equals(node.name()) && c.can("/vms/" + g.vmid(), "VM.Audit")) {
        out.add(views.listRow(g));
      }
    }
    return out;
  }

  private Object config(Call c, GuestType type) {
    Guest g = guest(c, type);
    c.require("/vms/" + g.vmid(), "VM.Audit");
    if (c.param("snapshot") != null) {
      throw new ApiException(500, "snapshot '" + c.param("snapshot") + "' does not exist");
    }
    return views.config(g, c.flag("current"));
  }

  private Object pending(Call c, GuestType type) {
    Guest g = guest(c, type);
    c.require("/vms/" + g.vmid(), "VM.Audit");
    List<Object> out = new ArrayList<>();
    Map<String, String> all = new java.util.TreeMap<>(g.config);
    g.pending.keySet().forEach(k -> all.putIfAbsent(k, null));
    g.pendingDelete.forEach(k -> all.putIfAbsent(k, null));
    for (Map.Entry<String, String> e : all.entrySet()) {
      if (e.getKey().equals("lxc")) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("key", e.getKey());
      if (e.getValue() != null) {
        row.put("value", e.getValue());
      }
      if (g.pending.containsKey(e.getKey())) {
        row.put("pending", g.pending.get(e.getKey()));
      }
      if (g.pendingDelete.contains(e.getKey())) {
        row.put("delete", 1);
      }
      out.add(row);
    }
    return out;
  }

  private Object status(Call c, GuestType type) {
    Guest g = guest(c, type);
    c.require("/vms/" + g.vmid(), "VM.Audit");
    return views.statusCurrent(g);
  }

  private Object rrd(Call c, GuestType type) {
    Guest g = guest(c, type);
    c.require("/vms/" + g.vmid(), "VM.Audit");
    long[] res = new ClusterEndpoints(cluster, views, null).resolution(c);
    boolean max = "MAX".equals(c.param("cf", "AVERAGE"));
    long disk =
        g.type() == GuestType.LXC && g.running
            ? (long) (g.maxdisk() * views.usage.diskFraction(g.vmid()))
            : 0;
    List<Object> out = new ArrayList<>();
    for (long t : Usage.times(cluster.now(), res[0], res[1])) {
      boolean runningThen = g.running && t >= g.startedAt;
      out.add(
          views.usage.guestPoint(
              g.vmid(),
              t,
              runningThen,
              max,
              g.cpus(),
              g.maxmem(),
              g.maxdisk(),
              disk,
              cluster.version.hasPressureFields()));
    }
    return out;
  }

  private Object agent(Call c, boolean network) {
    Guest g = guest(c, GuestType.QEMU);
    if (cluster.version.hasGuestAgentPrivileges()) {
      c.requireAny("/vms/" + g.vmid(), "VM.GuestAgent.Audit", "VM.GuestAgent.Unrestricted");
    } else {
      c.require("/vms/" + g.vmid(), "VM.Monitor");
    }
    if (!g.agentEnabled()) {
      throw new ApiException(500, "No QEMU guest agent configured");
    }
    if (!g.running) {
      throw new ApiException(500, "VM " + g.vmid() + " is not running");
    }
    if (!g.agentRunning) {
      throw new ApiException(500, "QEMU guest agent is not running");
    }
    return network ? agentInterfaces(g) : agentFsinfo(g);
  }

  private Map<String, Object> agentInterfaces(Guest g) {
    List<Object> result = new ArrayList<>();
    result.add(
        ClusterEndpoints.row(
            "name",
            "lo",
            "hardware-address",
            "00:00:00:00:00:00",
            "ip-addresses",
            List.of(
                ClusterEndpoints.row(
                    "ip-address", "127.0.0.1", "ip-address-type", "ipv4", "prefix", 8),
                ClusterEndpoints.row(
                    "ip-address", "::1", "ip-address-type", "ipv6", "prefix", 128)),
            "statistics",
            stats(0)));
    List<String> ips = g.configuredIps();
    int i = 0;
    for (Map.Entry<String, String> mac : g.macs().entrySet()) {
      List<Object> addrs = new ArrayList<>();
      if (i < ips.size()) {
        String[] ip = ips.get(i).split("/");
        addrs.add(
            ClusterEndpoints.row(
                "ip-address", ip[0], "ip-address-type", "ipv4", "prefix", Integer.parseInt(ip[1])));
      }
      addrs.add(
          ClusterEndpoints.row(
              "ip-address",
              "fe80::be24:11ff:fe"
                  + mac.getValue().substring(12, 14).toLowerCase()
                  + ":"
                  + mac.getValue().substring(15).replace(":", "").toLowerCase(),
              "ip-address-type",
              "ipv6",
              "prefix",
              64));
      result.add(
          ClusterEndpoints.row(
              "name",
              "ens" + (18 + i),
              "hardware-address",
              mac.getValue().toLowerCase(),
              "ip-addresses",
              addrs,
              "statistics",
              stats(g.vmid() * 10L + i)));
      i++;
    }
    return Map.of("result", result);
  }

  private Map<String, Object> stats(long id) {
    long now = cluster.now();
    return ClusterEndpoints.row(
        "rx-bytes",
        views.usage.counter(id, 1, now - 3600, now),
        "rx-packets",
        1000 + id,
        "rx-errs",
        0,
        "rx-dropped",
        0,
        "tx-bytes",
        views.usage.counter(id, 2, now - 3600, now),
        "tx-packets",
        900 + id,
        "tx-errs",
        0,
        "tx-dropped",
        0);
  }

  private Map<String, Object> agentFsinfo(Guest g) {
    long total = g.maxdisk();
    long used = (long) (total * views.usage.diskFraction(g.vmid()));
    return Map.of(
        "result",
        List.of(
            ClusterEndpoints.row(
                "name",
                "sda1",
                "mountpoint",
                "/",
                "type",
                "ext4",
                "total-bytes",
                total,
                "used-bytes",
                used,
                "disk",
                List.of(
                    ClusterEndpoints.row(
                        "bus-type",
                        "scsi",
                        "bus",
                        0,
                        "target",
                        0,
                        "unit",
                        0,
                        "dev",
                        "/dev/sda1",
                        "serial",
                        "0QEMU_QEMU_HARDDISK_drive-scsi0",
                        "pci-controller",
                        ClusterEndpoints.row("domain", 0, "bus", 9, "slot", 1, "function", 0))))));
  }

  private Object interfaces(Call c) {
    Guest g = guest(c, GuestType.LXC);
    c.require("/vms/" + g.vmid(), "VM.Audit");
    if (!g.running) {
      throw new ApiException(500, "CT " + g.vmid() + " not running");
    }
    List<Object> out = new ArrayList<>();
    Map<String, Object> lo =
        ClusterEndpoints.row(
            "name", "lo", "hwaddr", "00:00:00:00:00:00", "inet", "127.0.0.1/8", "inet6", "::1/128");
    addAddresses(lo, "00:00:00:00:00:00", "127.0.0.1/8", "::1/128");
    out.add(lo);
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(g.config).entrySet()) {
      if (!e.getKey().matches("net\\d+")) {
        continue;
      }
      Map<String, String> p = PropertyStrings.parse(e.getValue(), "name");
      String mac = p.getOrDefault("hwaddr", "").toLowerCase();
      String ip = p.get("ip");
      String inet = ip != null && ip.contains("/") ? ip : "10.99." + (g.vmid() % 250) + ".10/24";
      String inet6 = "fe80::be24:11ff:fe00:" + Integer.toHexString(g.vmid()) + "/64";
      Map<String, Object> row =
          ClusterEndpoints.row(
              "name",
              p.getOrDefault("name", e.getKey()),
              "hwaddr",
              mac,
              "inet",
              inet,
              "inet6",
              inet6);
      addAddresses(row, mac, inet, inet6);
      out.add(row);
    }
    return out;
  }

  private void addAddresses(Map<String, Object> row, String mac, String inet, String inet6) {
    if (!cluster.version.hasLxcInterfaceAddresses()) {
      return;
    }
    row.put("hardware-address", mac);
    row.put(
        "ip-addresses",
        List.of(
            ClusterEndpoints.row(
                "ip-address",
                inet.split("/")[0],
                "ip-address-type",
                "inet",
                "prefix",
                Integer.parseInt(inet.split("/")[1])),
            ClusterEndpoints.row(
                "ip-address",
                inet6.split("/")[0],
                "ip-address-type",
                "inet6",
                "prefix",
                Integer.parseInt(inet6.split("/")[1]))));
  }

  // ---- changes ----

  /** The privilege a config key needs, as qemu-server / pve-container check it per option. */
  static String privilegeFor(GuestType type, String key) {
    if (key.matches("memory|balloon|swap|shares")) {
      return "VM.Config.Memory";
    }
    if (key.matches("cores|sockets|cpu|cpulimit|cpuunits|vcpus|affinity|numa\\d*")) {
      return "VM.Config.CPU";
    }
    if (key.matches("net\\d+")) {
      return "VM.Config.Network";
    }
    if (key.matches("(scsi|virtio|sata|ide|unused|mp)\\d+|efidisk0|tpmstate0|rootfs|scsihw")) {
      return "VM.Config.Disk";
    }
    if (key.matches("ipconfig\\d+|ciuser|cipassword|citype|sshkeys|cicustom")) {
      return "VM.Config.Cloudinit";
    }
    if (key.matches(
        "hostpci\\d+|usb\\d+|serial\\d|parallel\\d|vga|machine|bios|audio0|rng0|dev\\d+")) {
      return "VM.Config.HWType";
    }
    return "VM.Config.Options";
  }

  private Object updateConfig(Call c, GuestType type, boolean async) {
    Guest g = cluster.read(() -> guest(c, type));
    String aclPath = "/vms/" + g.vmid();
    Map<String, String> set = new LinkedHashMap<>();
    c.params.forEach(
        (k, v) -> {
          if (!CONTROL_PARAMS.contains(k)) {
            set.put(k, v);
          }
        });
    // Per-option checks first: their message names the privilege the caller lacks.
    for (String key : set.keySet()) {
      c.require(aclPath, privilegeFor(type, key));
    }
    if (type == GuestType.QEMU) {
      c.requireAny(
          aclPath,
          "VM.Config.Disk",
          "VM.Config.CDROM",
          "VM.Config.CPU",
          "VM.Config.Memory",
          "VM.Config.Network",
          "VM.Config.HWType",
          "VM.Config.Options",
          "VM.Config.Cloudinit");
    } else {
      c.requireAny(
          aclPath,
          "VM.Config.Disk",
          "VM.Config.CPU",
          "VM.Config.Memory",
          "VM.Config.Network",
          "VM.Config.Options");
    }
    List<String> delete = configIds(c.param("delete"));
    List<String> revert = type == GuestType.QEMU ? configIds(c.param("revert")) : List.of();
    if (set.isEmpty() && delete.isEmpty() && revert.isEmpty()) {
      throw new ApiException(400, "no options specified");
    }
    for (String key : set.keySet()) {
      c.require(aclPath, privilegeFor(type, key));
      validateValue(type, key, set.get(key));
    }
    for (String key : delete) {
      c.require(aclPath, privilegeFor(type, key));
    }
    for (String key : revert) {
      c.require(aclPath, privilegeFor(type, key));
    }
    Map<String, String> logged = new LinkedHashMap<>();
    c.params.forEach(
        (k, v) -> {
          if (!NOT_LOGGED.contains(k)) {
            logged.put(k, v);
          }
        });
    Cluster.ConfigChange change =
        cluster.updateConfig(
            g.vmid(),
            set,
            delete,
            revert,
            c.param("digest"),
            c.actor(),
            true,
            async ? Cluster.ConfigCall.ASYNC : Cluster.ConfigCall.SYNC,
            logged);
    if (!async || c.param("background_delay") != null) {
      // The simulated worker finishes at once: within any background_delay, which answers null.
      return null;
    }
    return change.task().upid();
  }

  private static List<String> configIds(String list) {
    List<String> out = new ArrayList<>();
    if (list != null) {
      for (String k : list.split("[,;\\s]+")) {
        if (!k.isEmpty()) {
          out.add(k);
        }
      }
    }
    return out;
  }

  private void validateValue(GuestType type, String key, String value) {
    boolean numeric =
        (type == GuestType.QEMU && key.matches("cores|sockets|balloon|cpuunits|vcpus"))
            || (type == GuestType.LXC && key.matches("cores|memory|swap|cpuunits"))
            || (type == GuestType.QEMU
                && key.equals("memory")
                && !cluster.version.memoryIsPropertyString());
    if (numeric && !value.matches("\\d+")) {
      throw ApiException.parameter(key, "type check ('integer') failed - got '" + value + "'");
    }
    if (type == GuestType.QEMU
        && key.equals("memory")
        && cluster.version.memoryIsPropertyString()
        && !value.matches("(current=)?\\d+")) {
      throw ApiException.parameter(
          key,
          "invalid format - format error\nmemory.current: type check ('integer') failed - got '"
              + value
              + "'");
    }
    if (key.matches("net\\d+") && !value.contains("=")) {
      throw ApiException.parameter(key, "unable to parse network options");
    }
  }

  private Object create(Call c, GuestType type) {
    ClusterEndpoints.node(c);
    String vmidText = c.param("vmid");
    if (vmidText == null || !vmidText.matches("\\d+")) {
      throw ApiException.parameter("vmid", "property is missing and it is not optional");
    }
    int vmid = Integer.parseInt(vmidText);
    String pool = c.param("pool");
    if (pool != null) {
      c.require("/pool/" + pool, "VM.Allocate");
    } else {
      c.require("/vms/" + vmid, "VM.Allocate");
    }
    Map<String, String> config = new LinkedHashMap<>();
    c.params.forEach(
        (k, v) -> {
          if (!Set.of(
                  "node",
                  "vmid",
                  "pool",
                  "start",
                  "unique",
                  "storage",
                  "password",
                  "ostemplate",
                  "ssh-public-keys",
                  "restore",
                  "force")
              .contains(k)) {
            config.put(k, v);
          }
        });
    for (Map.Entry<String, String> e : config.entrySet()) {
      validateValue(type, e.getKey(), e.getValue());
    }
    if (type == GuestType.LXC) {
      if (c.param("ostemplate") == null) {
        throw ApiException.parameter("ostemplate", "property is missing and it is not optional");
      }
      config.putIfAbsent("rootfs", "local-lvm:vm-" + vmid + "-disk-0,size=8G");
      config.putIfAbsent("ostype", "debian");
      config.putIfAbsent("arch", "amd64");
    }
    Task t = cluster.createGuest(type, c.var("node"), vmid, config, pool, c.actor());
    if (c.flag("start")) {
      cluster.startStop(vmid, true, c.actor());
    }
    return t.upid();
  }

  private Object delete(Call c, GuestType type) {
    Guest g = cluster.read(() -> guest(c, type));
    c.require("/vms/" + g.vmid(), "VM.Allocate");
    return cluster.deleteGuest(g.vmid(), c.actor()).upid();
  }

  private Object migrate(Call c, GuestType type) {
    Guest g = cluster.read(() -> guest(c, type));
    c.require("/vms/" + g.vmid(), "VM.Migrate");
    String target = c.param("target");
    if (target == null) {
      throw ApiException.parameter("target", "property is missing and it is not optional");
    }
    boolean online = c.flag("online") || (type == GuestType.LXC && c.flag("restart"));
    return cluster.migrate(g.vmid(), target, online, c.actor()).upid();
  }

  private Object reboot(Call c, GuestType type) {
    Guest g = cluster.read(() -> guest(c, type));
    c.require("/vms/" + g.vmid(), "VM.PowerMgmt");
    return cluster.reboot(g.vmid(), c.actor()).upid();
  }

  private Object startStop(Call c, GuestType type, boolean start) {
    Guest g = cluster.read(() -> guest(c, type));
    c.require("/vms/" + g.vmid(), "VM.PowerMgmt");
    return cluster.startStop(g.vmid(), start, c.actor()).upid();
  }
}
