package dev.nimbus.proxmox.client.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import tools.jackson.databind.JsonNode;

/**
 * One RRD point ({@code rrddata}). Proxmox omits undefined values instead of sending null (a
 * stopped VM has only time/maxcpu/maxmem/maxdisk/disk), so values are looked up by name. Rates
 * (netin, diskread...) are bytes per second here, unlike the cumulative counters elsewhere.
 */
public record RrdPoint(long time, Map<String, Double> values) {

  public static RrdPoint from(JsonNode n) {
    Map<String, Double> values = new LinkedHashMap<>();
    if (n != null && n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        if (!e.getKey().equals("time")) {
          Double v = Lenient.toDouble(e.getValue());
          if (v != null && !v.isNaN()) {
            values.put(e.getKey(), v);
          }
        }
      }
    }
    Long time = Lenient.longValue(n, "time");
    return new RrdPoint(time == null ? 0 : time, Map.copyOf(values));
  }

  public OptionalDouble value(String name) {
    Double v = values.get(name);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** RRD timeframes; {@code DECADE} exists for node data since PVE 9.0. */
  public enum Timeframe {
    HOUR,
    DAY,
    WEEK,
    MONTH,
    YEAR,
    DECADE;

    public String param() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** RRD consolidation functions. */
  public enum Consolidation {
    AVERAGE,
    MAX
  }
}
