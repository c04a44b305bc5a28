package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /cluster/metrics/export} (PVE 8.4+), as pve-manager's {@code PVE::PullMetric} and the
 * API method in {@code PVE::API2::Cluster::MetricServer} build it: pvestatd keeps one generation of
 * its status per 10-second cycle in a shared cache of 180 generations (30 minutes); without {@code
 * history} only the newest generation is returned, with it the newest {@code (now - start-time) /
 * 10} generations (all 180 without {@code start-time}), and every sample with {@code timestamp <=
 * start-time} is dropped. Each node contributes its own cache (the answering node asks the others
 * with {@code local-only}), so an offline node's node, guest and storage metrics are absent.
 *
 * <p>Ids and metric names are pvestatd's: {@code node/<n>} (uptime, net_in/net_out derive, cpu_avg1
 * /5/15, cpu_max, cpu_current, cpu_iowait, mem_total/used, swap_total/used, disk_total/used),
 * {@code qemu/<vmid>} and {@code lxc/<vmid>} (cpu_current, mem_used and the derive counters
 * disk_read, disk_write, net_in, net_out only while running; uptime, cpu_max, mem_total, disk_total
 * always; disk_used only for containers: QEMU's is always 0 in pvestatd and is not exported) and
 * {@code storage/<node>/<sid>} (disk_total, disk_used) once per node that has the storage, shared
 * or not. Guest counters are cumulative since the guest's QEMU process or container started, so
 * they restart at 0 after a restart or a migration.
 */
final class MetricsExport {
  static final int GENERATIONS = 180;
  static final long CYCLE_SECONDS = 10;

  /** One exported sample; serialised by Jackson as {@code {id, metric, timestamp, type, value}}. */
  record Sample(String id, String metric, long timestamp, String type, double value) {}

  private final Cluster cluster;
  private final Views views;

  MetricsExport(Cluster cluster, Views views) {
    this.cluster = cluster;
    this.views = views;
  }

  Object answer(Call c, String answeringNode) {
    c.require("/", "Sys.Audit");
    boolean history = bool(c, "history");
    boolean localOnly = bool(c, "local-only");
    long start = 0;
    String text = c.param("start-time");
    if (text != null) {
      if (!text.matches("-?\\d{1,18}")) {
        throw ApiException.parameter(
            "start-time", "type check ('integer') failed - got '" + text + "'");
      }
      start = Long.parseLong(text);
    }
    long now = cluster.now();
    long newest = (now / CYCLE_SECONDS) * CYCLE_SECONDS;
    long generations;
    if (!history) {
      generations = 1;
    } else if (start > 0) {
      generations = Math.max(0, Math.min(GENERATIONS, (now - start) / CYCLE_SECONDS));
    } else {
      generations = GENERATIONS;
    }
    List<Sample> out = new ArrayList<>();
    // Oldest generation first: the API documents the answer as sorted by timestamp.
    for (long g = generations - 1; g >= 0; g--) {
      long t = newest - g * CYCLE_SECONDS;
      if (t <= start) {
        continue;
      }
      for (Node n : cluster.nodes.values()) {
        if (!n.online || (localOnly && !n.name().equals(answeringNode))) {
          continue;
        }
        nodeGeneration(out, n, t);
      }
    }
    return java.util.Map.of("data", out);
  }

  private static boolean bool(Call c, String name) {
    String v = c.param(name);
    if (v == null) {
      return false;
    }
    return switch (v) {
      case "1", "true", "yes", "on" -> true;
      case "0", "false", "no", "off" -> false;
      default ->
          throw ApiException.parameter(name, "type check ('boolean') failed - got '" + v + "'");
    };
  }

  private void nodeGeneration(List<Sample> out, Node n, long t) {
    Usage u = views.usage;
    long id = n.nodeid() * 1_000_003L;
    String key = "node/" + n.name();
    double cpu = Usage.clamp(u.cpu(id, t) * 0.6);
    long boot = cluster.bootEpoch + n.nodeid() * 3600L;
    out.add(new Sample(key, "uptime", t, "gauge", t - boot));
    out.add(new Sample(key, "net_in", t, "derive", u.counter(id, 1, boot, t) * 4));
    out.add(new Sample(key, "net_out", t, "derive", u.counter(id, 2, boot, t) * 4));
    out.add(new Sample(key, "cpu_avg1", t, "gauge", Usage.round(cpu * n.cpus, 2)));
    out.add(new Sample(key, "cpu_avg5", t, "gauge", Usage.round(cpu * n.cpus * 0.9, 2)));
    out.add(new Sample(key, "cpu_avg15", t, "gauge", Usage.round(cpu * n.cpus * 0.8, 2)));
    out.add(new Sample(key, "cpu_max", t, "gauge", n.cpus));
    out.add(new Sample(key, "cpu_current", t, "gauge", Usage.round(cpu, 6)));
    out.add(new Sample(key, "cpu_iowait", t, "gauge", Usage.round(cpu / 20, 6)));
    out.add(new Sample(key, "mem_total", t, "gauge", n.memTotal));
    out.add(new Sample(key, "mem_used", t, "gauge", (long) (u.mem(id, t) * n.memTotal)));
    out.add(new Sample(key, "swap_total", t, "gauge", 8L << 30));
    out.add(new Sample(key, "swap_used", t, "gauge", 0));
    out.add(new Sample(key, "disk_total", t, "gauge", n.rootTotal));
    out.add(new Sample(key, "disk_used", t, "gauge", (long) (u.diskFraction(id) * n.rootTotal)));
    for (Guest g : cluster.guests.values()) {
      if (g.node.equals(n.name())) {
        guestGeneration(out, g, t);
      }
    }
    for (Storage s : cluster.storages) {
      if (s.availableOn(n.name())) {
        long[] su = views.storageUsage(s, n.name());
        String sk = "storage/" + n.name() + "/" + s.id();
        out.add(new Sample(sk, "disk_total", t, "gauge", su[0]));
        out.add(new Sample(sk, "disk_used", t, "gauge", su[1]));
      }
    }
  }

  private void guestGeneration(List<Sample> out, Guest g, long t) {
    Usage u = views.usage;
    String key = g.type().apiName() + "/" + g.vmid();
    long since = g.runningSince(t);
    if (since >= 0) {
      out.add(new Sample(key, "cpu_current", t, "gauge", Usage.round(u.cpu(g.vmid(), t), 6)));
      out.add(new Sample(key, "mem_used", t, "gauge", (long) (u.mem(g.vmid(), t) * g.maxmem())));
      out.add(new Sample(key, "disk_read", t, "derive", u.counter(g.vmid(), 3, since, t)));
      out.add(new Sample(key, "disk_write", t, "derive", u.counter(g.vmid(), 4, since, t)));
      out.add(new Sample(key, "net_in", t, "derive", u.counter(g.vmid(), 1, since, t)));
      out.add(new Sample(key, "net_out", t, "derive", u.counter(g.vmid(), 2, since, t)));
    }
    out.add(new Sample(key, "uptime", t, "gauge", since >= 0 ? t - since : 0));
    out.add(new Sample(key, "cpu_max", t, "gauge", g.cpus()));
    out.add(new Sample(key, "mem_total", t, "gauge", g.maxmem()));
    out.add(new Sample(key, "disk_total", t, "gauge", g.maxdisk()));
    if (g.type() == GuestType.LXC) {
      long used = since >= 0 ? (long) (g.maxdisk() * u.diskFraction(g.vmid())) : 0;
      out.add(new Sample(key, "disk_used", t, "gauge", used));
    }
  }
}
