package dev.nimbus.proxmox.provider;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.Metric;
import dev.nimbus.model.TimeRange;
import dev.nimbus.model.UsageReport;
import dev.nimbus.model.UsageSample;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.model.GuestType;
import dev.nimbus.proxmox.client.model.RrdPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples usage from the RRD series Proxmox keeps per guest, node and storage ({@code rrddata}).
 * RRD network and disk I/O columns are rates (bytes per second), turned into bytes per interval
 * here; CPU is a 0..1 fraction of the allocated CPUs. A QEMU VM's disk usage is 0 without the guest
 * agent, as Proxmox reports it.
 */
final class UsageSampler {
  private static final Map<String, Metric> GUEST =
      Map.of(
          "cpu", Metric.CPU_UTILIZATION,
          "maxcpu", Metric.CPU_ALLOCATED,
          "mem", Metric.MEMORY_USED,
          "maxmem", Metric.MEMORY_ALLOCATED,
          "disk", Metric.DISK_USED,
          "maxdisk", Metric.DISK_ALLOCATED,
          "netin", Metric.NETWORK_IN,
          "netout", Metric.NETWORK_OUT,
          "diskread", Metric.DISK_READ,
          "diskwrite", Metric.DISK_WRITE);
  private static final Map<String, Metric> NODE =
      Map.of(
          "cpu", Metric.CPU_UTILIZATION,
          "maxcpu", Metric.CPU_ALLOCATED,
          "memused", Metric.MEMORY_USED,
          "memtotal", Metric.MEMORY_ALLOCATED,
          "rootused", Metric.DISK_USED,
          "roottotal", Metric.DISK_ALLOCATED,
          "netin", Metric.NETWORK_IN,
          "netout", Metric.NETWORK_OUT);
  private static final Map<String, Metric> STORAGE =
      Map.of("used", Metric.DISK_USED, "total", Metric.DISK_ALLOCATED);

  private final ProxmoxClient client;
  private final ConnectionRef connection;
  private final java.time.Clock clock;

  UsageSampler(ProxmoxClient client, ConnectionRef connection, java.time.Clock clock) {
    this.client = client;
    this.connection = connection;
    this.clock = clock;
  }

  UsageReport sample(TimeRange range, List<String> nativeKeys) {
    List<ClusterResource> rows = client.cluster().resources();
    Map<String, ClusterResource> byKey = new HashMap<>();
    for (ClusterResource r : rows) {
      String key =
          switch (r.type()) {
            case "qemu", "lxc" -> r.vmid() == null ? null : ProxmoxKeys.guest(r.type(), r.vmid());
            case "node" -> ProxmoxKeys.node(r.node());
            case "storage" -> ProxmoxKeys.localStorage(r.node(), r.storage());
            default -> null;
          };
      if (key != null) {
        byKey.put(key, r);
      }
    }
    List<String> keys =
        nativeKeys == null || nativeKeys.isEmpty() ? List.copyOf(byKey.keySet()) : nativeKeys;
    RrdPoint.Timeframe timeframe = timeframeFor(range, clock.instant());
    List<UsageSample> samples = new ArrayList<>();
    List<DiscoveryProblem> problems = new ArrayList<>();
    for (String key : keys) {
      ClusterResource row = byKey.get(key);
      if (row == null) {
        problems.add(
            new DiscoveryProblem(
                DiscoveryProblem.Kind.CALL_FAILED, key, "not in /cluster/resources"));
        continue;
      }
      try {
        List<RrdPoint> points;
        Map<String, Metric> columns;
        switch (row.type()) {
          case "qemu", "lxc" -> {
            GuestType type = "qemu".equals(row.type()) ? GuestType.QEMU : GuestType.LXC;
            points =
                client
                    .node(row.node())
                    .guest(type, row.vmid())
                    .rrddata(timeframe, RrdPoint.Consolidation.AVERAGE);
            columns = GUEST;
          }
          case "node" -> {
            points = client.node(row.node()).rrddata(timeframe, RrdPoint.Consolidation.AVERAGE);
            columns = NODE;
          }
          default -> {
            points =
                client
                    .get(
                        "/nodes/" + row.node() + "/storage/" + row.storage() + "/rrddata",
                        Map.of("timeframe", timeframe.param(), "cf", "AVERAGE"))
                    .valueStream()
                    .map(RrdPoint::from)
                    .toList();
            columns = STORAGE;
          }
        }
        addSamples(samples, key, points, columns, range);
      } catch (ProxmoxException e) {
        problems.add(
            new DiscoveryProblem(
                e instanceof ProxmoxException.NodeUnreachable
                    ? DiscoveryProblem.Kind.SCOPE_UNREACHABLE
                    : DiscoveryProblem.Kind.CALL_FAILED,
                key,
                e.getMessage()));
      }
    }
    return new UsageReport(connection, range, samples, problems);
  }

  private static void addSamples(
      List<UsageSample> out,
      String key,
      List<RrdPoint> points,
      Map<String, Metric> columns,
      TimeRange range) {
    for (int i = 0; i < points.size(); i++) {
      RrdPoint p = points.get(i);
      Instant time = Instant.ofEpochSecond(p.time());
      if (!range.contains(time)) {
        continue;
      }
      long stepSeconds =
          i > 0
              ? p.time() - points.get(i - 1).time()
              : i + 1 < points.size() ? points.get(i + 1).time() - p.time() : 60;
      Duration step = Duration.ofSeconds(Math.max(1, stepSeconds));
      for (var c : columns.entrySet()) {
        var v = p.value(c.getKey());
        if (v.isEmpty() || v.getAsDouble() < 0) {
          continue;
        }
        double value = v.getAsDouble();
        // RRD stores I/O as bytes per second; a sample is the bytes of its interval.
        if (c.getValue().unit().equals("bytes") && isRate(c.getKey())) {
          value = value * step.toSeconds();
        }
        out.add(new UsageSample(key, c.getValue(), time, step, value));
      }
    }
  }

  private static boolean isRate(String column) {
    return column.equals("netin")
        || column.equals("netout")
        || column.equals("diskread")
        || column.equals("diskwrite");
  }

  /** The shortest RRD timeframe that still reaches back to the range's start from {@code now}. */
  static RrdPoint.Timeframe timeframeFor(TimeRange range, Instant now) {
    Duration length = Duration.between(range.start(), now);
    if (length.compareTo(Duration.ofHours(1)) <= 0) {
      return RrdPoint.Timeframe.HOUR;
    }
    if (length.compareTo(Duration.ofDays(1)) <= 0) {
      return RrdPoint.Timeframe.DAY;
    }
    if (length.compareTo(Duration.ofDays(7)) <= 0) {
      return RrdPoint.Timeframe.WEEK;
    }
    if (length.compareTo(Duration.ofDays(31)) <= 0) {
      return RrdPoint.Timeframe.MONTH;
    }
    return RrdPoint.Timeframe.YEAR;
  }
}
