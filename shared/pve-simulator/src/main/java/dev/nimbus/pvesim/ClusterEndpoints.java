package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cluster-wide and per-node read endpoints: version, status, resources, nodes, storage, tasks, HA,
 * metrics.
 */
final class ClusterEndpoints {
  private final Cluster cluster;
  private final Views views;
  private final String entryNode;

  ClusterEndpoints(Cluster cluster, Views views, String entryNode) {
    this.cluster = cluster;
    this.views = views;
    this.entryNode = entryNode;
  }

  void register(Router r) {
    r.get("/version", c -> version());
    r.get("/cluster/status", c -> read(c, this::clusterStatus));
    r.get("/cluster/resources", c -> read(c, this::resources));
    r.get("/cluster/tasks", c -> read(c, this::tasks));
    r.get("/cluster/log", c -> read(c, this::clusterLog));
    r.get("/cluster/ha/status/current", c -> read(c, this::haStatus));
    r.get("/cluster/ha/resources", c -> read(c, this::haResources));
    if (cluster.version.hasMetricsExport()) {
      r.get("/cluster/metrics/export", c -> read(c, this::metricsExport));
    }
    r.get("/nodes", c -> read(c, this::nodes));
    r.get("/nodes/{node}/status", c -> read(c, this::nodeStatus));
    r.get("/nodes/{node}/network", c -> read(c, this::network));
    r.get("/nodes/{node}/certificates/info", c -> read(c, this::certificates));
    r.get("/nodes/{node}/rrddata", c -> read(c, this::nodeRrd));
    r.get("/nodes/{node}/storage", c -> read(c, this::nodeStorage));
    r.get("/nodes/{node}/storage/{storage}/rrddata", c -> read(c, this::storageRrd));
    r.get("/nodes/{node}/tasks/{upid}/status", c -> read(c, this::taskStatus));
    r.get("/storage", c -> read(c, this::storageConfig));
  }

  private Object read(Call c, java.util.function.Function<Call, Object> body) {
    return cluster.read(() -> body.apply(c));
  }

  static Node node(Call c) {
    Node n = c.cluster.nodes.get(c.var("node"));
    if (n == null) {
      throw ApiException.parameter("node", "no such cluster node '" + c.var("node") + "'");
    }
    return n;
  }

  private Object version() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("version", cluster.version.version());
    v.put("release", cluster.version.release());
    v.put("repoid", cluster.version.repoid());
    v.put("console", "html5");
    return v;
  }

  private Object clusterStatus(Call c) {
    c.require("/", "Sys.Audit");
    List<Object> out = new ArrayList<>();
    if (cluster.standalone) {
      // A node that never joined a cluster answers with its own row only (nodeid 0, no quorum).
      Node n = cluster.nodes.values().iterator().next();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", "node/" + n.name());
      row.put("type", "node");
      row.put("name", n.name());
      row.put("nodeid", 0);
      row.put("ip", n.ip());
      row.put("online", 1);
      row.put("local", 1);
      row.put("level", "");
      out.add(row);
      return out;
    }
    Map<String, Object> head = new LinkedHashMap<>();
    head.put("id", "cluster");
    head.put("type", "cluster");
    head.put("name", cluster.name);
    head.put("nodes", cluster.nodes.size());
    long online = cluster.nodes.values().stream().filter(n -> n.online).count();
    head.put("quorate", online * 2 > cluster.nodes.size() ? 1 : 0);
    head.put("version", cluster.nodes.size() + 2);
    out.add(head);
    for (Node n : cluster.nodes.values()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", "node/" + n.name());
      row.put("type", "node");
      row.put("name", n.name());
      row.put("nodeid", n.nodeid());
      row.put("ip", n.ip());
      row.put("online", n.online ? 1 : 0);
      row.put("local", n.name().equals(entryNode) ? 1 : 0);
      row.put("level", "");
      out.add(row);
    }
    return out;
  }

  private Object resources(Call c) {
    String type = c.param("type");
    if (type != null && !List.of("vm", "storage", "node", "sdn").contains(type)) {
      throw ApiException.parameter(
          "type",
          "value '" + type + "' does not have a value in the enumeration 'vm, storage, node, sdn'");
    }
    List<Object> out = new ArrayList<>();
    if (type == null || type.equals("node")) {
      for (Node n : cluster.nodes.values()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", "node/" + n.name());
        row.put("type", "node");
        row.put("node", n.name());
        row.put("status", n.online ? "online" : "offline");
        // Without Sys.Audit on the node, only the bare row (id/status) is shown.
        if (n.online && c.can("/nodes/" + n.name(), "Sys.Audit")) {
          views.putNodeStats(row, n);
          row.put("level", "");
          row.put("cgroup-mode", 2);
        }
        out.add(row);
      }
    }
    if (type == null || type.equals("vm")) {
      for (Guest g : cluster.guests.values()) {
        if (c.can("/vms/" + g.vmid(), "VM.Audit")) {
          out.add(views.resourceRow(g));
        }
      }
    }
    if (type == null || type.equals("storage")) {
      for (Storage s : cluster.storages) {
        if (!canSeeStorage(c, s.id())) {
          continue;
        }
        for (Node n : cluster.nodes.values()) {
          if (s.availableOn(n.name())) {
            out.add(views.storageResourceRow(s, n.name()));
          }
        }
      }
    }
    if (type == null) {
      for (Pool p : cluster.pools.values()) {
        if (c.can("/pool/" + p.id, "Pool.Audit")) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("id", "/pool/" + p.id);
          row.put("type", "pool");
          row.put("pool", p.id);
          out.add(row);
        }
      }
    }
    if (type == null || type.equals("sdn")) {
      for (Node n : cluster.nodes.values()) {
        for (Sdn.Zone z : zonesWithLocal()) {
          if (!c.can("/sdn/zones/" + z.zone(), "SDN.Audit")) {
            continue;
          }
          Map<String, Object> row = new LinkedHashMap<>();
          String status = n.online ? "ok" : "unknown";
          if (cluster.version.hasNetworkRows()) {
            // PVE 9.1: nodes publish network rows and no longer sdn rows, even for ?type=sdn.
            if (type != null) {
              continue;
            }
            row.put("id", "network/" + n.name() + "/zone/" + z.zone());
            row.put("type", "network");
            row.put("network", z.zone());
            row.put("network-type", "zone");
            row.put("zone-type", z.type());
          } else {
            row.put("id", "sdn/" + n.name() + "/" + z.zone());
            row.put("type", "sdn");
            row.put("sdn", z.zone());
            if (cluster.version.atLeast(PveVersion.V9_0)) {
              row.put("zone-type", z.type());
            }
          }
          row.put("node", n.name());
          row.put("status", status);
          out.add(row);
        }
      }
    }
    return out;
  }

  private List<Sdn.Zone> zonesWithLocal() {
    List<Sdn.Zone> zones = new ArrayList<>();
    zones.add(new Sdn.Zone("localnetwork", "local", Map.of()));
    zones.addAll(cluster.zones.values());
    return zones;
  }

  static boolean canSeeStorage(Call c, String storage) {
    String path = "/storage/" + storage;
    return c.can(path, "Datastore.Audit") || c.can(path, "Datastore.AllocateSpace");
  }

  private Object tasks(Call c) {
    List<Object> out = new ArrayList<>();
    for (Task t : cluster.tasks) {
      if (t.user().equals(c.actor())
          || t.user().equals(c.principal.userid())
          || c.can("/nodes/" + t.node(), "Sys.Audit")) {
        Map<String, Object> row = taskRow(t);
        row.put("status", "OK");
        row.put("saved", "1");
        out.add(row);
      }
    }
    return out;
  }

  /**
   * {@code GET /cluster/log}: the newest {@code max} lines (default 50), newest first. With
   * Sys.Syslog on {@code /} every line, otherwise only the caller's own: pmxcfs filters by the
   * exact user, so a token sees the lines written as that token.
   */
  private Object clusterLog(Call c) {
    int max = 50;
    String text = c.param("max");
    if (text != null) {
      if (!text.matches("-?\\d{1,9}")) {
        throw ApiException.parameter("max", "type check ('integer') failed - got '" + text + "'");
      }
      max = Integer.parseInt(text);
      if (max < 1) {
        throw ApiException.parameter("max", "value must have a minimum value of 1");
      }
    }
    boolean all = c.can("/", "Sys.Syslog");
    String me = c.actor();
    List<Object> out = new ArrayList<>();
    for (ClusterLogLine line : cluster.clusterLog) {
      if (out.size() >= max) {
        break;
      }
      if (all || me.equals(line.user())) {
        out.add(line.row());
      }
    }
    return out;
  }

  static Map<String, Object> taskRow(Task t) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("upid", t.upid());
    row.put("node", t.node());
    row.put("pid", t.pid());
    row.put("pstart", t.pstart());
    row.put("starttime", t.starttime());
    row.put("endtime", t.endtime());
    row.put("type", t.type());
    row.put("id", t.id());
    row.put("user", t.user());
    return row;
  }

  private Object taskStatus(Call c) {
    node(c);
    String upid = c.var("upid");
    for (Task t : cluster.tasks) {
      if (t.upid().equals(upid) && t.node().equals(c.var("node"))) {
        if (!t.user().equals(c.actor()) && !c.can("/nodes/" + t.node(), "Sys.Audit")) {
          throw ApiException.permission("/nodes/" + t.node(), "Sys.Audit");
        }
        Map<String, Object> row = taskRow(t);
        row.remove("endtime");
        row.put("status", "stopped");
        row.put("exitstatus", "OK");
        return row;
      }
    }
    throw new ApiException(
        500, "unable to open file '/var/log/pve/tasks/active' - no such task " + upid);
  }

  private Object haStatus(Call c) {
    c.require("/", "Sys.Audit");
    List<Object> out = new ArrayList<>();
    long now = cluster.now();
    String master = cluster.nodes.keySet().iterator().next();
    out.add(row("id", "quorum", "type", "quorum", "node", master, "status", "OK", "quorate", 1));
    out.add(
        row(
            "id",
            "master",
            "type",
            "master",
            "node",
            master,
            "status",
            master + " (active, " + now + ")",
            "timestamp",
            now));
    for (Node n : cluster.nodes.values()) {
      out.add(
          row(
              "id",
              "lrm:" + n.name(),
              "type",
              "lrm",
              "node",
              n.name(),
              "status",
              n.name() + (n.online ? " (active, " : " (old timestamp - dead?, ") + now + ")",
              "timestamp",
              now));
    }
    for (Guest g : cluster.guests.values()) {
      if (g.haState != null) {
        String sid = (g.type() == GuestType.QEMU ? "vm:" : "ct:") + g.vmid();
        Map<String, Object> r =
            row(
                "id",
                "service:" + sid,
                "type",
                "service",
                "sid",
                sid,
                "node",
                g.node,
                "state",
                g.haState,
                "status",
                sid + " (" + g.node + ", " + g.haState + ")",
                "crm_state",
                g.haState,
                "request_state",
                g.haState,
                "max_restart",
                1,
                "max_relocate",
                1);
        if (cluster.version.atLeast(PveVersion.V9_0)) {
          r.put("failback", 1);
        }
        out.add(r);
      }
    }
    return out;
  }

  private Object haResources(Call c) {
    c.require("/", "Sys.Audit");
    List<Object> out = new ArrayList<>();
    for (Guest g : cluster.guests.values()) {
      if (g.haState != null) {
        String sid = (g.type() == GuestType.QEMU ? "vm:" : "ct:") + g.vmid();
        Map<String, Object> r =
            row(
                "sid",
                sid,
                "type",
                g.type() == GuestType.QEMU ? "vm" : "ct",
                "state",
                g.haState,
                "max_restart",
                1,
                "max_relocate",
                1,
                "digest",
                Digests.sha1("ha:" + sid + g.haState));
        if (!cluster.version.atLeast(PveVersion.V9_0)) {
          r.put("group", "prefer-" + g.node);
        } else {
          r.put("failback", 1);
        }
        out.add(r);
      }
    }
    return out;
  }

  private Object metricsExport(Call c) {
    c.require("/", "Sys.Audit");
    long now = cluster.now();
    List<Object> data = new ArrayList<>();
    for (Node n : cluster.nodes.values()) {
      if (!n.online) {
        continue;
      }
      Map<String, Object> stats = new LinkedHashMap<>();
      views.putNodeStats(stats, n);
      String id = "node/" + n.name();
      data.add(metric(id, "cpu_current", now, "gauge", ((Number) stats.get("cpu")).doubleValue()));
      data.add(metric(id, "mem_used", now, "gauge", ((Number) stats.get("mem")).doubleValue()));
      data.add(metric(id, "mem_total", now, "gauge", ((Number) stats.get("maxmem")).doubleValue()));
      data.add(metric(id, "uptime", now, "gauge", ((Number) stats.get("uptime")).doubleValue()));
    }
    for (Guest g : cluster.guests.values()) {
      if (!g.running || !views.nodeOnline(g.node)) {
        continue;
      }
      Map<String, Object> r = views.resourceRow(g);
      String id = r.get("id").toString();
      data.add(metric(id, "cpu_current", now, "gauge", ((Number) r.get("cpu")).doubleValue()));
      data.add(metric(id, "mem_used", now, "gauge", ((Number) r.get("mem")).doubleValue()));
      data.add(metric(id, "net_in", now, "derive", ((Number) r.get("netin")).doubleValue()));
      data.add(metric(id, "net_out", now, "derive", ((Number) r.get("netout")).doubleValue()));
      data.add(metric(id, "disk_read", now, "derive", ((Number) r.get("diskread")).doubleValue()));
      data.add(
          metric(id, "disk_write", now, "derive", ((Number) r.get("diskwrite")).doubleValue()));
    }
    return Map.of("data", data);
  }

  private static Map<String, Object> metric(
      String id, String metric, long ts, String type, double value) {
    return row("id", id, "metric", metric, "timestamp", ts, "type", type, "value", value);
  }

  private Object nodes(Call c) {
    List<Object> out = new ArrayList<>();
    for (Node n : cluster.nodes.values()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", "node/" + n.name());
      row.put("type", "node");
      row.put("node", n.name());
      row.put("status", n.online ? "online" : "offline");
      row.put("ssl_fingerprint", n.certificate.fingerprint());
      if (n.online && c.can("/nodes/" + n.name(), "Sys.Audit")) {
        views.putNodeStats(row, n);
        row.put("level", "");
      }
      out.add(row);
    }
    return out;
  }

  private Object nodeStatus(Call c) {
    Node n = node(c);
    c.require("/nodes/" + n.name(), "Sys.Audit");
    Map<String, Object> stats = new LinkedHashMap<>();
    views.putNodeStats(stats, n);
    long mem = (long) stats.get("mem");
    long disk = (long) stats.get("disk");
    double cpu = (double) stats.get("cpu");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("uptime", stats.get("uptime"));
    r.put("cpu", cpu);
    r.put("wait", Usage.round(cpu / 20, 6));
    r.put("idle", 0);
    r.put("loadavg", List.of(fmt(cpu * n.cpus), fmt(cpu * n.cpus * 0.9), fmt(cpu * n.cpus * 0.8)));
    r.put("kversion", "Linux 6.8.12-4-pve #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4");
    r.put("pveversion", cluster.version.pveManagerString());
    r.put(
        "cpuinfo",
        row(
            "model",
            n.cpuModel,
            "cores",
            n.cpus / n.sockets / 2,
            "cpus",
            n.cpus,
            "sockets",
            n.sockets,
            "mhz",
            "2900.000",
            "hvm",
            "1",
            "user_hz",
            100,
            "flags",
            "fpu vme de pse tsc msr pae mce cx8 apic"));
    Map<String, Object> memory = row("total", n.memTotal, "used", mem, "free", n.memTotal - mem);
    if (cluster.version.atLeast(PveVersion.V9_0)) {
      memory.put("available", n.memTotal - mem / 2);
    }
    r.put("memory", memory);
    r.put("swap", row("total", 8L << 30, "used", 0L, "free", 8L << 30));
    r.put(
        "rootfs",
        row(
            "total",
            n.rootTotal,
            "used",
            disk,
            "free",
            n.rootTotal - disk,
            "avail",
            n.rootTotal - disk));
    r.put("ksm", row("shared", 0));
    if (cluster.version.atLeast(PveVersion.V8_1)) {
      r.put("boot-info", row("mode", "efi", "secureboot", 0));
      r.put(
          "current-kernel",
          row(
              "sysname",
              "Linux",
              "release",
              "6.8.12-4-pve",
              "machine",
              "x86_64",
              "version",
              "#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z)"));
    }
    return r;
  }

  private static String fmt(double d) {
    return String.format(java.util.Locale.ROOT, "%.2f", d);
  }

  private Object network(Call c) {
    Node n = node(c);
    String type = c.param("type");
    List<Object> out = new ArrayList<>();
    for (Map<String, Object> iface : n.network) {
      Object t = iface.get("type");
      boolean match =
          type == null
              || type.equals(t)
              || (type.startsWith("any_") && ("bridge".equals(t) || "OVSBridge".equals(t)));
      if (match) {
        out.add(iface);
      }
    }
    return out;
  }

  private Object certificates(Call c) {
    Node n = node(c);
    List<Object> out = new ArrayList<>();
    out.add(certRow("pve-root-ca.pem", cluster.pkiCa));
    out.add(certRow("pve-ssl.pem", n.certificate));
    return out;
  }

  private static Map<String, Object> certRow(String filename, NodeCertificate cert) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("filename", filename);
    r.put("fingerprint", cert.fingerprint());
    r.put("subject", cert.subject());
    r.put("issuer", cert.issuer());
    r.put("notbefore", cert.notBefore());
    r.put("notafter", cert.notAfter());
    r.put("public-key-type", cert.publicKeyType());
    r.put("public-key-bits", cert.publicKeyBits());
    r.put("pem", cert.pem());
    if (!cert.san().isEmpty()) {
      r.put("san", cert.san());
    }
    return r;
  }

  private Object nodeRrd(Call c) {
    Node n = node(c);
    c.require("/nodes/" + n.name(), "Sys.Audit");
    long[] res = resolution(c);
    boolean max = "MAX".equals(c.param("cf", "AVERAGE"));
    List<Object> out = new ArrayList<>();
    long id = n.nodeid() * 1_000_003L;
    Usage u = views.usage;
    for (long t : Usage.times(cluster.now(), res[0], res[1])) {
      double f = max ? 1.3 : 1.0;
      double cpu = Usage.clamp(u.cpu(id, t) * 0.6 * f);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("time", t);
      p.put("loadavg", Usage.round(cpu * n.cpus, 2));
      p.put("maxcpu", n.cpus);
      p.put("cpu", Usage.round(cpu, 6));
      p.put("iowait", Usage.round(cpu / 20, 6));
      p.put("memtotal", (double) n.memTotal);
      p.put("memused", (double) (long) (u.mem(id, t) * n.memTotal));
      p.put("swaptotal", (double) (8L << 30));
      p.put("swapused", 0.0);
      p.put("roottotal", (double) n.rootTotal);
      p.put("rootused", (double) (long) (u.diskFraction(id) * n.rootTotal));
      p.put("netin", Usage.round(u.rate(id, 1, t) * 4 * f, 2));
      p.put("netout", Usage.round(u.rate(id, 2, t) * 4 * f, 2));
      if (cluster.version.hasRrd9()) {
        p.put("memavailable", (double) (long) ((1 - u.mem(id, t) / 2) * n.memTotal));
        p.put("arcsize", 0.0);
        p.put("pressurecpusome", Usage.round(cpu, 3));
        p.put("pressureiosome", Usage.round(cpu / 10, 3));
        p.put("pressureiofull", 0.0);
        p.put("pressurememorysome", 0.0);
        p.put("pressurememoryfull", 0.0);
      }
      out.add(p);
    }
    return out;
  }

  long[] resolution(Call c) {
    String tf = c.param("timeframe");
    if (tf == null) {
      throw ApiException.parameter("timeframe", "property is missing and it is not optional");
    }
    String cf = c.param("cf", "AVERAGE");
    if (!cf.equals("AVERAGE") && !cf.equals("MAX")) {
      throw ApiException.parameter(
          "cf", "value '" + cf + "' does not have a value in the enumeration 'AVERAGE, MAX'");
    }
    long[] res = Usage.resolution(tf, cluster.version.hasRrd9());
    if (res == null) {
      throw ApiException.parameter(
          "timeframe",
          "value '"
              + tf
              + "' does not have a value in the enumeration 'hour, day, week, month, year"
              + (cluster.version.hasRrd9() ? ", decade'" : "'"));
    }
    return res;
  }

  private Object nodeStorage(Call c) {
    Node n = node(c);
    List<Object> out = new ArrayList<>();
    for (Storage s : cluster.storages) {
      if (!s.availableOn(n.name()) || !canSeeStorage(c, s.id())) {
        continue;
      }
      if (c.param("storage") != null && !c.param("storage").equals(s.id())) {
        continue;
      }
      long[] u = views.storageUsage(s, n.name());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("storage", s.id());
      r.put("type", s.type());
      r.put("content", s.content());
      r.put("active", 1);
      r.put("enabled", 1);
      r.put("shared", s.shared() ? 1 : 0);
      r.put("total", u[0]);
      r.put("used", u[1]);
      r.put("avail", u[0] - u[1]);
      r.put("used_fraction", u[0] == 0 ? 0.0 : (double) u[1] / u[0]);
      out.add(r);
    }
    return out;
  }

  private Object storageRrd(Call c) {
    Node n = node(c);
    Storage s =
        cluster.storages.stream()
            .filter(x -> x.id().equals(c.var("storage")) && x.availableOn(n.name()))
            .findFirst()
            .orElseThrow(
                () -> new ApiException(500, "storage '" + c.var("storage") + "' does not exist"));
    c.requireAny("/storage/" + s.id(), "Datastore.Audit", "Datastore.AllocateSpace");
    long[] res = resolution(c);
    long[] u = views.storageUsage(s, n.name());
    List<Object> out = new ArrayList<>();
    long id = s.id().hashCode();
    for (long t : Usage.times(cluster.now(), res[0], res[1])) {
      double drift = 1 - 0.02 * ((cluster.now() - t) / 86_400.0) * views.usage.unit(id, 50, 0);
      out.add(
          row(
              "time",
              t,
              "total",
              (double) u[0],
              "used",
              (double) (long) (u[1] * Math.max(0.5, drift))));
    }
    return out;
  }

  private Object storageConfig(Call c) {
    List<Object> out = new ArrayList<>();
    for (Storage s : cluster.storages) {
      if (!canSeeStorage(c, s.id())) {
        continue;
      }
      if (c.param("type") != null && !c.param("type").equals(s.type())) {
        continue;
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("storage", s.id());
      r.put("type", s.type());
      r.put("content", s.content());
      if (s.shared()) {
        r.put("shared", 1);
      }
      if (s.nodes() != null) {
        r.put("nodes", String.join(",", s.nodes()));
      }
      r.putAll(s.properties());
      r.put("digest", Digests.sha1("storage.cfg:" + cluster.storages));
      out.add(r);
    }
    return out;
  }

  static Map<String, Object> row(Object... kv) {
    Map<String, Object> r = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      r.put((String) kv[i], kv[i + 1]);
    }
    return r;
  }
}
