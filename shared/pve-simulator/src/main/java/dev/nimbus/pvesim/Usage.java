package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plausible, deterministic usage figures: a per-object base load plus a daily wave and noise, all a
 * pure function of (seed, object, time). Counters (netin, diskread...) are rate times uptime, so
 * they grow between calls like real cumulative counters.
 */
final class Usage {
  private final long seed;

  Usage(long seed) {
    this.seed = seed;
  }

  /** A stable pseudo-random value in [0, 1) for the given inputs (splitmix64). */
  double unit(long id, long salt, long bucket) {
    long z =
        seed * 0x9E3779B97F4A7C15L + id * 0xBF58476D1CE4E5B9L + salt * 0x94D049BB133111EBL + bucket;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }

  /** CPU fraction (0..1) of an object at a time. */
  double cpu(long id, long time) {
    double base = 0.02 + 0.35 * unit(id, 1, 0);
    double wave =
        0.1 * Math.sin(2 * Math.PI * ((time % 86_400) / 86_400.0) + unit(id, 2, 0) * 6.28);
    double noise = 0.08 * unit(id, 3, time / 60);
    return clamp(base + wave + noise);
  }

  /** Memory use fraction (0..1). */
  double mem(long id, long time) {
    return clamp(0.25 + 0.5 * unit(id, 4, 0) + 0.05 * unit(id, 5, time / 300));
  }

  /** A byte rate (bytes/s) for counter {@code salt}; between ~1 KiB/s and ~2 MiB/s. */
  double rate(long id, int salt, long time) {
    double base = 1024 + 2_000_000 * Math.pow(unit(id, 10 + salt, 0), 3);
    return base * (0.6 + 0.8 * unit(id, 20 + salt, time / 60));
  }

  /** A cumulative counter since {@code since}: grows with time. */
  long counter(long id, int salt, long since, long now) {
    long seconds = Math.max(0, now - since);
    double base = 1024 + 2_000_000 * Math.pow(unit(id, 10 + salt, 0), 3);
    return (long) (base * seconds);
  }

  double diskFraction(long id) {
    return 0.15 + 0.7 * unit(id, 30, 0);
  }

  static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  /** Points and step (seconds) of an RRD timeframe; PVE 9 keeps finer-grained files. */
  static long[] resolution(String timeframe, boolean rrd9) {
    if (rrd9) {
      return switch (timeframe) {
        case "hour" -> new long[] {60, 60};
        case "day" -> new long[] {1440, 60};
        case "week" -> new long[] {336, 1800};
        case "month" -> new long[] {1440, 1800};
        case "year" -> new long[] {1440, 21_600};
        case "decade" -> new long[] {570, 604_800};
        default -> null;
      };
    }
    return switch (timeframe) {
      case "hour" -> new long[] {60, 60};
      case "day" -> new long[] {70, 1800};
      case "week" -> new long[] {70, 10_800};
      case "month" -> new long[] {70, 43_200};
      case "year" -> new long[] {70, 604_800};
      default -> null;
    };
  }

  /**
   * Times of the RRD points for a timeframe ending now; the newest (incomplete) bucket is dropped.
   */
  static List<Long> times(long now, long points, long step) {
    long last = (now / step) * step - step;
    List<Long> out = new ArrayList<>((int) points);
    for (long i = points - 1; i >= 0; i--) {
      out.add(last - i * step);
    }
    return out;
  }

  /**
   * One guest RRD point; a stopped guest has only the static columns (unknown values are omitted).
   */
  Map<String, Object> guestPoint(
      long id,
      long time,
      boolean running,
      boolean max,
      int cpus,
      long maxmem,
      long maxdisk,
      long disk,
      boolean pve9) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("time", time);
    p.put("maxcpu", cpus);
    p.put("maxmem", maxmem);
    p.put("maxdisk", maxdisk);
    p.put("disk", disk);
    if (!running) {
      return p;
    }
    double f = max ? 1.35 : 1.0;
    p.put("cpu", round(clamp(cpu(id, time) * f), 6));
    p.put("mem", (double) (long) (mem(id, time) * maxmem));
    p.put("netin", round(rate(id, 1, time) * f, 2));
    p.put("netout", round(rate(id, 2, time) * f, 2));
    p.put("diskread", round(rate(id, 3, time) * f, 2));
    p.put("diskwrite", round(rate(id, 4, time) * f, 2));
    if (pve9) {
      p.put("memhost", (double) (long) (mem(id, time) * maxmem * 1.05));
      p.put("pressurecpusome", round(cpu(id, time) * 3, 3));
      p.put("pressurecpufull", 0.0);
      p.put("pressureiosome", round(unit(id, 40, time / 60), 3));
      p.put("pressureiofull", round(unit(id, 41, time / 60) / 2, 3));
      p.put("pressurememorysome", 0.0);
      p.put("pressurememoryfull", 0.0);
    }
    return p;
  }
}
