package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the JSON rows Proxmox returns for guests, nodes and storage, on demand from the compact
 * state (nothing is kept pre-rendered, so 10,000 guests stay small).
 */
final class Views {
  private static final Set<String> QEMU_INTEGERS =
      Set.of("cores", "sockets", "balloon", "cpuunits", "vcpus", "migrate_speed");
  private static final Set<String> LXC_INTEGERS =
      Set.of("cores", "memory", "swap", "cpuunits", "tty");
  private static final Set<String> BOOLEANS =
      Set.of(
          "onboot",
          "template",
          "numa",
          "protection",
          "kvm",
          "acpi",
          "tablet",
          "localtime",
          "freeze",
          "unprivileged",
          "console",
          "debug",
          "reboot",
          "autostart");

  final Cluster cluster;
  final Usage usage;

  Views(Cluster cluster) {
    this.cluster = cluster;
    this.usage = new Usage(cluster.seed);
  }

  long now() {
    return cluster.now();
  }

  /** A guest config rendered with JSON types per the schema (property strings stay strings). */
  Map<String, Object> config(Guest g, boolean current) {
    Map<String, String> source = current ? g.config : g.configWithPending();
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(source).entrySet()) {
      out.put(e.getKey(), typed(g.type(), e.getKey(), e.getValue()));
    }
    out.put("digest", g.digest());
    return out;
  }

  private Object typed(GuestType type, String key, String value) {
    if (type == GuestType.LXC && key.equals("lxc")) {
      // Raw LXC keys come as a list of [key, value] pairs.
      List<List<String>> pairs = new ArrayList<>();
      for (String line : value.split("\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          pairs.add(List.of(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
      }
      return pairs;
    }
    boolean integer =
        type == GuestType.QEMU
            ? QEMU_INTEGERS.contains(key)
                || (key.equals("memory") && !cluster.version.memoryIsPropertyString())
            : LXC_INTEGERS.contains(key);
    if (integer || BOOLEANS.contains(key)) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        return value; // a corrupted config keeps its bad value, as the real file would
      }
    }
    if (key.equals("cpulimit")) {
      try {
        return Double.parseDouble(value);
      } catch (NumberFormatException e) {
        return value;
      }
    }
    return value;
  }

  boolean nodeOnline(String node) {
    return cluster.nodes.get(node).online;
  }

  /** A guest row for /cluster/resources. */
  Map<String, Object> resourceRow(Guest g) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", g.type().apiName() + "/" + g.vmid());
    r.put("type", g.type().apiName());
    r.put("vmid", g.vmid());
    r.put("name", g.name());
    r.put("node", g.node);
    boolean online = nodeOnline(g.node);
    r.put("status", online ? (g.running ? "running" : "stopped") : "unknown");
    r.put("template", g.template() ? 1 : 0);
    if (g.tags() != null) {
      r.put("tags", g.tags());
    }
    if (g.lock() != null) {
      r.put("lock", g.lock());
    }
    if (g.pool != null) {
      r.put("pool", g.pool);
    }
    if (g.haState != null) {
      r.put("hastate", g.haState);
    }
    if (!online) {
      return r;
    }
    putStats(r, g);
    if (g.type() == GuestType.QEMU) {
      r.put("disk", 0); // Proxmox quirk: qemu disk usage is always 0 here
    }
    return r;
  }

  private void putStats(Map<String, Object> r, Guest g) {
    long now = now();
    long maxmem = g.maxmem();
    r.put("maxcpu", g.cpus());
    r.put("maxmem", maxmem);
    r.put("maxdisk", g.maxdisk());
    if (g.type() == GuestType.LXC) {
      r.put("disk", g.running ? (long) (g.maxdisk() * usage.diskFraction(g.vmid())) : 0L);
    }
    if (g.running) {
      r.put("cpu", Usage.round(usage.cpu(g.vmid(), now), 6));
      r.put("mem", (long) (usage.mem(g.vmid(), now) * maxmem));
      r.put("uptime", now - g.startedAt);
      r.put("netin", usage.counter(g.vmid(), 1, g.startedAt, now));
      r.put("netout", usage.counter(g.vmid(), 2, g.startedAt, now));
      r.put("diskread", usage.counter(g.vmid(), 3, g.startedAt, now));
      r.put("diskwrite", usage.counter(g.vmid(), 4, g.startedAt, now));
      if (cluster.version.hasPressureFields() && g.type() == GuestType.QEMU) {
        r.put("memhost", (long) (usage.mem(g.vmid(), now) * maxmem * 1.05));
      }
    } else {
      r.put("cpu", 0);
      r.put("mem", 0);
      r.put("uptime", 0);
      r.put("netin", 0);
      r.put("netout", 0);
      r.put("diskread", 0);
      r.put("diskwrite", 0);
    }
  }

  /** A row of /nodes/{n}/qemu or /lxc. */
  Map<String, Object> listRow(Guest g) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("vmid", g.vmid());
    r.put("name", g.name());
    r.put("status", g.running ? "running" : "stopped");
    r.put("cpus", g.cpus());
    r.put("maxmem", g.maxmem());
    r.put("maxdisk", g.maxdisk());
    if (g.type() == GuestType.LXC) {
      r.put("maxswap", g.maxswap());
      r.put("type", "lxc");
    }
    if (g.tags() != null) {
      r.put("tags", g.tags());
    }
    if (g.lock() != null) {
      r.put("lock", g.lock());
    }
    if (g.template()) {
      r.put("template", 1);
    }
    long now = now();
    if (g.running) {
      r.put("uptime", now - g.startedAt);
      if (g.type() == GuestType.QEMU) {
        r.put("pid", 10_000 + g.vmid());
        r.put("qmpstatus", "running");
      }
    } else {
      r.put("uptime", 0);
    }
    putStats(r, g);
    r.remove("maxcpu");
    if (cluster.version.hasPressureFields() && g.running) {
      r.put("pressurecpusome", Usage.round(usage.cpu(g.vmid(), now) * 2, 2));
      r.put("pressurecpufull", 0.0);
      r.put("pressureiosome", Usage.round(usage.unit(g.vmid(), 40, now / 60), 2));
      r.put("pressureiofull", 0.0);
      r.put("pressurememorysome", 0.0);
      r.put("pressurememoryfull", 0.0);
      if (g.type() == GuestType.LXC) {
        r.remove("pressurecpufull");
      }
    }
    return r;
  }

  /** /nodes/{n}/{type}/{vmid}/status/current. */
  Map<String, Object> statusCurrent(Guest g) {
    Map<String, Object> r = listRow(g);
    Map<String, Object> ha = new LinkedHashMap<>();
    ha.put("managed", g.haState == null ? 0 : 1);
    if (g.haState != null) {
      ha.put("state", g.haState);
    }
    r.put("ha", ha);
    if (g.type() == GuestType.QEMU) {
      r.put("qmpstatus", g.running ? "running" : "stopped");
      if (g.agentEnabled()) {
        r.put("agent", 1);
      }
      if (g.running) {
        r.put("running-qemu", cluster.version.atLeast(PveVersion.V9_0) ? "10.0.2" : "8.1.5");
        r.put("running-machine", "pc-i440fx-8.1+pve0");
      }
    }
    return r;
  }

  /** Node stats for /cluster/resources and /nodes. */
  void putNodeStats(Map<String, Object> r, Node n) {
    long now = now();
    long id = n.nodeid() * 1_000_003L;
    r.put("cpu", Usage.round(usage.cpu(id, now) * 0.6, 6));
    r.put("maxcpu", n.cpus);
    r.put("mem", (long) (usage.mem(id, now) * n.memTotal));
    r.put("maxmem", n.memTotal);
    r.put("disk", (long) (usage.diskFraction(id) * n.rootTotal));
    r.put("maxdisk", n.rootTotal);
    r.put("uptime", now - cluster.bootEpoch - n.nodeid() * 3600L);
  }

  /** Usage of a storage as seen from a node (local storages differ per node). */
  long[] storageUsage(Storage s, String node) {
    long id = (s.id().hashCode() * 31L) + (s.shared() ? 0 : node.hashCode());
    long used = (long) (s.total() * usage.diskFraction(id));
    return new long[] {s.total(), used};
  }

  Map<String, Object> storageResourceRow(Storage s, String node) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", "storage/" + node + "/" + s.id());
    r.put("type", "storage");
    r.put("storage", s.id());
    r.put("node", node);
    r.put("plugintype", s.type());
    r.put("content", s.content());
    if (cluster.version.atLeast(PveVersion.V9_1)) {
      r.put("shared", s.shared() ? 1 : 0);
    }
    if (!nodeOnline(node)) {
      r.put("status", "unknown");
      return r;
    }
    r.put("status", "available");
    long[] u = storageUsage(s, node);
    r.put("disk", u[1]);
    r.put("maxdisk", u[0]);
    return r;
  }

  /** A pool member row (8.1+ /pools?poolid= and /pools/{id}): the resource row of the member. */
  Map<String, Object> poolMember(Guest g) {
    return resourceRow(g);
  }
}
