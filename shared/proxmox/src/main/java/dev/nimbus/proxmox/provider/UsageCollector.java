package dev.nimbus.proxmox.provider;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.CounterBaseline;
import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.UsageCollection;
import dev.nimbus.model.UsageRequest;
import dev.nimbus.model.UsageSlice;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.model.GuestAgent;
import dev.nimbus.proxmox.client.model.GuestType;
import dev.nimbus.proxmox.client.model.MetricSample;
import dev.nimbus.proxmox.client.model.ProxmoxVersion;
import dev.nimbus.proxmox.client.model.RrdPoint;
import dev.nimbus.proxmox.client.model.StorageConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Collects a cluster's usage as per-hour slices with as few calls as Proxmox allows.
 *
 * <p>PVE 8.4+: one {@code GET /cluster/metrics/export?history=1&start-time=<cursor - 10>} per
 * sample. pvestatd keeps 180 generations of 10 s (30 minutes); asking from one generation before
 * the cursor returns the generation the previous sample ended on again, the baseline the first
 * counter delta needs, so consecutive samples join without a gap or an overlap. Each 10-second
 * interval gets the gauges of the generation that ends it; derive counters (network and disk I/O,
 * cumulative since the guest process started) become deltas, and a counter that went down or an
 * uptime that went down is a restart or a migration: the delta is then the new value (the bytes
 * since the restart) when the process is younger than the interval, else nothing; never negative,
 * never a whole lifetime's bytes.
 *
 * <p>Before 8.4, or for the part of the range the buffer no longer holds, usage comes from each
 * resource's {@code rrddata} with the finest timeframe that reaches back to the start (one call per
 * guest, node and storage: the cost the export avoids).
 *
 * <p>Shared storage is reported by every node ({@code storage/<node>/<sid>}); its usage is taken
 * once, from the first node that reports it, and keyed {@code storage/<sid>} like its CI. QEMU disk
 * usage is not in the export (pvestatd's is always 0): it comes from the guest agent's {@code
 * get-fsinfo} for the VMs the request names, or stays unknown. A resource whose samples are
 * malformed is left out and reported; the others are collected.
 */
final class UsageCollector {
  /** The metrics buffer: 180 generations of 10 s, minus one cycle of margin. */
  static final Duration BUFFER = Duration.ofSeconds(179 * 10);

  static final long CYCLE = 10;
  private static final String EXPORT = "metrics-export";
  private static final String RRD = "rrddata";

  private final ProxmoxClient client;
  private final ConnectionRef connection;
  private final Clock clock;

  UsageCollector(ProxmoxClient client, ConnectionRef connection, Clock clock) {
    this.client = client;
    this.connection = connection;
    this.clock = clock;
  }

  private record SliceKey(String key, Instant hour) {}

  private final Map<SliceKey, UsageSlice.Builder> builders = new LinkedHashMap<>();
  private final Map<String, CounterBaseline> baselinesOut = new HashMap<>();
  private final List<DiscoveryProblem> problems = new ArrayList<>();
  private final Set<String> malformed = new HashSet<>();

  UsageCollection collect(UsageRequest request) {
    Instant now = clock.instant();
    Instant end = request.range().end().isAfter(now) ? now : request.range().end();
    Instant start =
        request.cursor() != null && request.cursor().isAfter(request.range().start())
            ? request.cursor()
            : request.range().start();
    List<String> methods = new ArrayList<>();
    Set<String> shared =
        request.sharedStorage() != null ? request.sharedStorage() : readSharedStorage();
    if (!end.isAfter(start)) {
      return new UsageCollection(
          connection, List.of(), request.cursor(), methods, shared, problems, request.baselines());
    }
    Instant coveredTo = start;
    Instant rrdUntil = end;
    boolean exportUsable = end.isAfter(now.minus(BUFFER));
    if (exportUsable) {
      long startSecond = align(start.getEpochSecond());
      long newest = align(now.getEpochSecond());
      // Generations wanted: the one the cursor is on (the counters' baseline) up to the newest.
      long wanted = (newest - startSecond) / CYCLE + 1;
      long budget = generationBudget(request.baselines().size());
      long exportStart = startSecond - CYCLE;
      boolean sparse = false;
      if (wanted > budget && !request.baselines().isEmpty()) {
        sparse = true;
        // A large cluster: only the newest generations. The counters continue from the stored
        // baselines (exact bytes); the gauges of the oldest generation read stand for the
        // interval back to the cursor (sampled rather than averaged).
        exportStart = newest - budget * CYCLE;
      } else if (wanted > budget && request.cursor() == null) {
        // Never sampled, size unknown: the newest generations only, to learn it; nothing earlier
        // is backfilled (that would cost a call per resource for a first look).
        exportStart = newest - budget * CYCLE;
        startSecond = exportStart + CYCLE;
        sparse = true;
      }
      Optional<List<MetricSample>> export =
          client.cluster().metricsExport(true, Math.max(1, exportStart));
      if (export.isPresent()) {
        methods.add(EXPORT);
        Map<String, Double> agentDisk = agentDiskUsage(request.agentDiskKeys());
        Long oldest =
            fromExport(
                export.get(),
                startSecond,
                end.getEpochSecond(),
                shared,
                agentDisk,
                request.baselines());
        if (oldest == null) {
          // Nothing newer than the cursor yet (or no generation at all): nothing to add.
          return new UsageCollection(
              connection,
              slices(),
              request.cursor(),
              methods,
              shared,
              problems,
              request.baselines());
        }
        coveredTo = Instant.ofEpochSecond(newestUsed);
        // Sparse: the baselines carry the counters back to the cursor, nothing to backfill.
        rrdUntil = sparse ? start : Instant.ofEpochSecond(oldest);
      }
    }
    if (rrdUntil.isAfter(start) && Duration.between(start, rrdUntil).toSeconds() >= 60) {
      methods.add(0, RRD);
      Instant rrdCovered = fromRrd(start, rrdUntil, now, shared, request.agentDiskKeys());
      if (!methods.contains(EXPORT)) {
        coveredTo = rrdCovered;
      }
    }
    return new UsageCollection(
        connection, slices(), coveredTo, methods, shared, problems, baselinesOut);
  }

  /**
   * The export samples one answer may carry: about 95 bytes of JSON each, so 400,000 keep the
   * answer near 38 MB, well under the client's 64 MiB cap and a 1 GB function's heap once parsed.
   */
  static final long MAX_EXPORT_SAMPLES = 400_000;

  /** Generations per answer for a cluster of {@code resources} (about 11 metrics each). */
  static long generationBudget(int resources) {
    if (resources <= 0) {
      return 2;
    }
    return Math.max(2, Math.min(180, MAX_EXPORT_SAMPLES / (resources * 11L)));
  }

  private static long align(long second) {
    return Math.floorDiv(second, CYCLE) * CYCLE;
  }

  private List<UsageSlice> slices() {
    List<UsageSlice> out = new ArrayList<>();
    for (var e : builders.entrySet()) {
      if (!malformed.contains(e.getKey().key()) && !e.getValue().isEmpty()) {
        out.add(e.getValue().build());
      }
    }
    return out;
  }

  private UsageSlice.Builder builder(String key, Instant hour) {
    return builders.computeIfAbsent(
        new SliceKey(key, hour), k -> new UsageSlice.Builder(k.key(), k.hour()));
  }

  private Set<String> readSharedStorage() {
    Set<String> shared = new LinkedHashSet<>();
    for (StorageConfig s : client.storage().config()) {
      if (s.shared()) {
        shared.add(s.storage());
      }
    }
    return shared;
  }

  // --- the metrics export ---

  private long newestUsed;

  /** Metric names of one generation, as an index into a value array. */
  private static final List<String> METRICS =
      List.of(
          "cpu_current",
          "cpu_max",
          "mem_used",
          "mem_total",
          "disk_used",
          "disk_total",
          "net_in",
          "net_out",
          "disk_read",
          "disk_write",
          "uptime");

  private static final Map<String, Integer> INDEX = index();

  private static Map<String, Integer> index() {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < METRICS.size(); i++) {
      m.put(METRICS.get(i), i);
    }
    return Map.copyOf(m);
  }

  private static final int CPU = 0;
  private static final int CPU_MAX = 1;
  private static final int MEM = 2;
  private static final int MEM_TOTAL = 3;
  private static final int DISK = 4;
  private static final int DISK_TOTAL = 5;
  private static final int NET_IN = 6;
  private static final int NET_OUT = 7;
  private static final int READ = 8;
  private static final int WRITE = 9;
  private static final int UPTIME = 10;

  /**
   * Turns the export into slices for the intervals after {@code startSecond} up to {@code end};
   * returns the oldest generation the answer holds (null when none), so the caller can backfill
   * what the buffer no longer had.
   */
  private Long fromExport(
      List<MetricSample> samples,
      long startSecond,
      long end,
      Set<String> shared,
      Map<String, Double> agentDisk,
      Map<String, CounterBaseline> baselines) {
    // id -> generation time -> values; a storage's id is already its CI key.
    Map<String, TreeMap<Long, double[]>> series = new HashMap<>();
    Map<String, Map<Long, String>> sharedReporter = new HashMap<>();
    Long oldest = null;
    for (MetricSample s : samples) {
      String id = s.id();
      if (id == null || s.metric() == null || s.timestamp() <= 0) {
        if (id != null) {
          malformed(id, "a metric sample without a name or timestamp");
        } else {
          problems.add(
              new DiscoveryProblem(
                  DiscoveryProblem.Kind.MALFORMED_RESOURCE,
                  "cluster/metrics",
                  "a metric sample without an id was left out"));
        }
        continue;
      }
      Integer index = INDEX.get(s.metric());
      if (index == null) {
        continue; // cpu_avg1, swap_used, ...: not priced
      }
      String key = keyOf(id, s.timestamp(), shared, sharedReporter);
      if (key == null) {
        continue;
      }
      Double v = s.value();
      if (v == null || v.isNaN() || v.isInfinite() || v < 0) {
        malformed(key, "metric " + s.metric() + " has no valid value: " + v);
        continue;
      }
      oldest = oldest == null ? s.timestamp() : Math.min(oldest, s.timestamp());
      double[] values =
          series
              .computeIfAbsent(key, k -> new TreeMap<>())
              .computeIfAbsent(s.timestamp(), t -> empty());
      values[index] = v;
    }
    if (oldest == null) {
      return null;
    }
    newestUsed = startSecond;
    for (var e : series.entrySet()) {
      String key = e.getKey();
      if (malformed.contains(key)) {
        continue;
      }
      Double agentUsed = agentDisk.get(key);
      Map.Entry<Long, double[]> previous = null;
      CounterBaseline base = baselines.get(key);
      if (base != null
          && base.timestamp() >= startSecond
          && base.timestamp() < e.getValue().firstKey()) {
        // The generation the last sample ended on is not in this answer: its counters are.
        previous = Map.entry(base.timestamp(), fromBaseline(base));
      }
      for (Map.Entry<Long, double[]> gen : e.getValue().entrySet()) {
        long t = gen.getKey();
        if (t > end) {
          break;
        }
        if (previous != null && previous.getKey() >= startSecond) {
          interval(key, previous, gen, agentUsed);
          newestUsed = Math.max(newestUsed, t);
        }
        previous = gen;
      }
      if (previous != null && !Double.isNaN(previous.getValue()[NET_IN])) {
        double[] v = previous.getValue();
        baselinesOut.put(
            key,
            new CounterBaseline(
                previous.getKey(), v[UPTIME], v[NET_IN], v[NET_OUT], v[READ], v[WRITE]));
      }
    }
    // The generation at the cursor is the baseline, not new data.
    return Math.max(oldest, startSecond);
  }

  private static double[] fromBaseline(CounterBaseline b) {
    double[] v = empty();
    v[UPTIME] = b.uptime();
    v[NET_IN] = b.networkIn();
    v[NET_OUT] = b.networkOut();
    v[READ] = b.diskRead();
    v[WRITE] = b.diskWrite();
    return v;
  }

  private static double[] empty() {
    double[] v = new double[METRICS.size()];
    java.util.Arrays.fill(v, Double.NaN);
    return v;
  }

  /**
   * The CI key of an export id; for shared storage only the samples of the one node chosen per
   * generation (the first seen) count, null for the others.
   */
  private static String keyOf(
      String id, long t, Set<String> shared, Map<String, Map<Long, String>> reporter) {
    if (!id.startsWith("storage/")) {
      return id;
    }
    String[] parts = id.split("/", 3);
    if (parts.length != 3) {
      return id;
    }
    if (!shared.contains(parts[2])) {
      return id;
    }
    String node = reporter.computeIfAbsent(parts[2], s -> new HashMap<>()).putIfAbsent(t, parts[1]);
    return node == null || node.equals(parts[1]) ? ProxmoxKeys.sharedStorage(parts[2]) : null;
  }

  private void malformed(String key, String message) {
    if (malformed.add(key)) {
      problems.add(new DiscoveryProblem(DiscoveryProblem.Kind.MALFORMED_RESOURCE, key, message));
    }
  }

  /**
   * One interval {@code [previous, current)} with the gauges of {@code current}: 10 seconds, or
   * longer when it starts at a stored baseline, then split at hour boundaries with the counters'
   * bytes shared out by time.
   */
  private void interval(
      String key,
      Map.Entry<Long, double[]> previous,
      Map.Entry<Long, double[]> current,
      Double agentUsed) {
    long from = previous.getKey();
    long to = current.getKey();
    double total = to - from;
    double[] v = current.getValue();
    double[] p = previous.getValue();
    boolean guest = key.startsWith("qemu/") || key.startsWith("lxc/");
    boolean running = !Double.isNaN(v[CPU]);
    long[] bytes = new long[4];
    if (!key.startsWith("storage/") && (running || !guest)) {
      boolean restarted =
          !Double.isNaN(v[UPTIME]) && !Double.isNaN(p[UPTIME]) && v[UPTIME] < p[UPTIME];
      double uptime = v[UPTIME];
      bytes[0] = delta(p[NET_IN], v[NET_IN], restarted, uptime, total);
      bytes[1] = delta(p[NET_OUT], v[NET_OUT], restarted, uptime, total);
      bytes[2] = delta(p[READ], v[READ], restarted, uptime, total);
      bytes[3] = delta(p[WRITE], v[WRITE], restarted, uptime, total);
    }
    Double diskUsed;
    if (!Double.isNaN(v[DISK])) {
      diskUsed = v[DISK];
    } else if (key.startsWith("qemu/")) {
      diskUsed = agentUsed;
    } else {
      diskUsed = null;
    }
    long[] left = bytes.clone();
    for (long a = from; a < to; ) {
      long b = Math.min(to, (Math.floorDiv(a, 3600) + 1) * 3600);
      double seconds = b - a;
      boolean last = b == to;
      Instant start = Instant.ofEpochSecond(a);
      UsageSlice.Builder s = builder(key, UsageSlice.hourOf(start));
      s.cover(start, Instant.ofEpochSecond(b));
      if (key.startsWith("storage/")) {
        s.disk(seconds, nz(v[DISK_TOTAL]), Double.isNaN(v[DISK]) ? null : v[DISK]);
      } else {
        if (running) {
          s.running(seconds, nz(v[CPU_MAX]), v[CPU]);
          s.memory(seconds, nz(v[MEM_TOTAL]), nz(v[MEM]));
        }
        s.disk(seconds, nz(v[DISK_TOTAL]), diskUsed);
        long[] part = new long[4];
        for (int i = 0; i < 4; i++) {
          part[i] = last ? left[i] : Math.round(bytes[i] * seconds / total);
          left[i] -= part[i];
        }
        s.io(part[0], part[1], part[2], part[3]);
      }
      a = b;
    }
  }

  /**
   * The bytes of one interval from a cumulative counter: the difference, or after a restart (the
   * counter or the uptime went down, or there was no earlier value) the new value when the process
   * started within the interval (those bytes are all since the restart); otherwise nothing.
   */
  static long delta(double previous, double current, boolean restarted, double uptime, double dt) {
    if (Double.isNaN(current)) {
      return 0;
    }
    if (!restarted && !Double.isNaN(previous) && current >= previous) {
      return Math.round(current - previous);
    }
    if (!Double.isNaN(uptime) && uptime <= dt) {
      return Math.round(current);
    }
    return 0;
  }

  private static double nz(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  /** Disk bytes used per VM from the guest agent; permission denied stops asking the rest. */
  private Map<String, Double> agentDiskUsage(Set<String> keys) {
    Map<String, Double> out = new HashMap<>();
    if (keys.isEmpty()) {
      return out;
    }
    Map<Integer, String> nodes = new HashMap<>();
    for (ClusterResource r : client.cluster().resources()) {
      if ("qemu".equals(r.type()) && r.vmid() != null && "running".equals(r.status())) {
        nodes.put(r.vmid(), r.node());
      }
    }
    for (String key : keys) {
      if (!key.startsWith("qemu/")) {
        continue;
      }
      int vmid;
      try {
        vmid = Integer.parseInt(key.substring(5));
      } catch (NumberFormatException e) {
        continue;
      }
      String node = nodes.get(vmid);
      if (node == null) {
        continue;
      }
      try {
        GuestAgent.Reply<List<GuestAgent.FileSystem>> reply =
            client.node(node).qemu(vmid).agentFsInfo();
        if (reply.isError()) {
          continue;
        }
        double used = 0;
        Set<String> seen = new HashSet<>();
        for (GuestAgent.FileSystem fs : reply.value()) {
          if (fs.usedBytes() != null && seen.add(fs.name() + "@" + fs.mountpoint())) {
            used += fs.usedBytes();
          }
        }
        out.put(key, used);
      } catch (ProxmoxException.PermissionDenied e) {
        problems.add(
            new DiscoveryProblem(
                DiscoveryProblem.Kind.MISSING_PERMISSION,
                key,
                "QEMU disk usage stays unknown: " + e.getMessage()));
        return out;
      } catch (ProxmoxException e) {
        // A stopped agent or an agent without get-fsinfo: unknown for this VM only.
      }
    }
    return out;
  }

  // --- rrddata backfill ---

  /**
   * Backfills {@code [start, until)} from each resource's RRD series; returns how far the points
   * reached.
   */
  private Instant fromRrd(
      Instant start, Instant until, Instant now, Set<String> shared, Set<String> agentKeys) {
    ProxmoxVersion version = client.version().parsed();
    RrdPoint.Timeframe timeframe = timeframeFor(version, Duration.between(start, now));
    long from = start.getEpochSecond();
    long to = until.getEpochSecond();
    long reached = from;
    Set<String> sharedDone = new HashSet<>();
    for (ClusterResource r : client.cluster().resources()) {
      String key;
      List<RrdPoint> points;
      try {
        switch (r.type()) {
          case "qemu", "lxc" -> {
            if (r.vmid() == null || r.node() == null || "unknown".equals(r.status())) {
              continue;
            }
            key = ProxmoxKeys.guest(r.type(), r.vmid());
            GuestType type = "qemu".equals(r.type()) ? GuestType.QEMU : GuestType.LXC;
            points =
                client
                    .node(r.node())
                    .guest(type, r.vmid())
                    .rrddata(timeframe, RrdPoint.Consolidation.AVERAGE);
          }
          case "node" -> {
            if (!"online".equals(r.status())) {
              continue;
            }
            key = ProxmoxKeys.node(r.node());
            points = client.node(r.node()).rrddata(timeframe, RrdPoint.Consolidation.AVERAGE);
          }
          case "storage" -> {
            if (r.storage() == null || !"available".equals(r.status())) {
              continue;
            }
            boolean isShared = shared.contains(r.storage());
            if (isShared && !sharedDone.add(r.storage())) {
              continue; // counted once, from the first node that has it
            }
            key =
                isShared
                    ? ProxmoxKeys.sharedStorage(r.storage())
                    : ProxmoxKeys.localStorage(r.node(), r.storage());
            points =
                client
                    .get(
                        "/nodes/" + r.node() + "/storage/" + r.storage() + "/rrddata",
                        Map.of("timeframe", timeframe.param(), "cf", "AVERAGE"))
                    .valueStream()
                    .map(RrdPoint::from)
                    .toList();
          }
          default -> {
            continue;
          }
        }
      } catch (ProxmoxException e) {
        String subject = r.id() == null ? "cluster/resources" : r.id();
        problems.add(
            new DiscoveryProblem(
                e instanceof ProxmoxException.NodeUnreachable
                    ? DiscoveryProblem.Kind.SCOPE_UNREACHABLE
                    : DiscoveryProblem.Kind.CALL_FAILED,
                subject,
                e.getMessage()));
        continue;
      }
      boolean unknownDisk = "qemu".equals(r.type());
      reached = Math.max(reached, addRrd(key, r.type(), points, from, to, unknownDisk));
    }
    return Instant.ofEpochSecond(Math.min(reached, to));
  }

  /** Adds the part of each RRD point {@code [time, time + step)} inside {@code [from, to)}. */
  private long addRrd(
      String key, String type, List<RrdPoint> points, long from, long to, boolean unknownDisk) {
    long reached = from;
    for (int i = 0; i < points.size(); i++) {
      RrdPoint p = points.get(i);
      long step =
          i + 1 < points.size()
              ? points.get(i + 1).time() - p.time()
              : i > 0 ? p.time() - points.get(i - 1).time() : 60;
      if (step <= 0) {
        malformed(key, "RRD points out of order");
        return reached;
      }
      long a = Math.max(from, p.time());
      long b = Math.min(to, p.time() + step);
      // Split at hour boundaries: a 30-minute or 3-hour point may span more than one hour.
      while (a < b) {
        long hourEnd = (Math.floorDiv(a, 3600) + 1) * 3600;
        long e = Math.min(b, hourEnd);
        addRrdPart(key, type, p, a, e, e - a, step, unknownDisk);
        reached = Math.max(reached, e);
        a = e;
      }
    }
    return reached;
  }

  private void addRrdPart(
      String key,
      String type,
      RrdPoint p,
      long a,
      long e,
      double seconds,
      long step,
      boolean unknownDisk) {
    Instant from = Instant.ofEpochSecond(a);
    UsageSlice.Builder b =
        builder(key, UsageSlice.hourOf(from)).cover(from, Instant.ofEpochSecond(e));
    switch (type) {
      case "storage" ->
          b.disk(seconds, v(p, "total"), p.value("used").isPresent() ? v(p, "used") : null);
      case "node" -> {
        b.running(seconds, v(p, "maxcpu"), v(p, "cpu"));
        b.memory(seconds, v(p, "memtotal"), v(p, "memused"));
        b.disk(seconds, v(p, "roottotal"), v(p, "rootused"));
        b.io(rate(p, "netin", seconds), rate(p, "netout", seconds), 0, 0);
      }
      default -> {
        // A stopped guest's point has only maxcpu/maxmem/maxdisk/disk: no cpu means not running.
        if (p.value("cpu").isPresent()) {
          b.running(seconds, v(p, "maxcpu"), v(p, "cpu"));
          b.memory(seconds, v(p, "maxmem"), v(p, "mem"));
          b.io(
              rate(p, "netin", seconds),
              rate(p, "netout", seconds),
              rate(p, "diskread", seconds),
              rate(p, "diskwrite", seconds));
        }
        b.disk(seconds, v(p, "maxdisk"), unknownDisk ? null : v(p, "disk"));
      }
    }
  }

  private static double v(RrdPoint p, String column) {
    double d = p.value(column).orElse(0);
    return d < 0 || Double.isNaN(d) ? 0 : d;
  }

  /** RRD keeps I/O as bytes per second (DERIVE), averaged over the point's step. */
  private static long rate(RrdPoint p, String column, double seconds) {
    return Math.round(v(p, column) * seconds);
  }

  /**
   * The finest RRD timeframe whose points reach back {@code back} from now: PVE 8 files keep 60 x 1
   * min, 70 x 30 min, 70 x 3 h, 70 x 12 h; PVE 9 files 60 x 1 min, 1440 x 1 min, 336 x 30 min, 1440
   * x 30 min, 1440 x 6 h.
   */
  static RrdPoint.Timeframe timeframeFor(ProxmoxVersion version, Duration back) {
    boolean rrd9 = version != null && version.rrdDecade();
    long[][] pointsAndStep =
        rrd9
            ? new long[][] {{60, 60}, {1440, 60}, {336, 1800}, {1440, 1800}, {1440, 21_600}}
            : new long[][] {{60, 60}, {70, 1800}, {70, 10_800}, {70, 43_200}, {70, 604_800}};
    RrdPoint.Timeframe[] frames = {
      RrdPoint.Timeframe.HOUR,
      RrdPoint.Timeframe.DAY,
      RrdPoint.Timeframe.WEEK,
      RrdPoint.Timeframe.MONTH,
      RrdPoint.Timeframe.YEAR
    };
    for (int i = 0; i < frames.length; i++) {
      // The newest, incomplete bucket is dropped: a timeframe reaches back one step more.
      long reach = pointsAndStep[i][0] * pointsAndStep[i][1] + pointsAndStep[i][1];
      if (back.toSeconds() <= reach) {
        return frames[i];
      }
    }
    return RrdPoint.Timeframe.YEAR;
  }
}
