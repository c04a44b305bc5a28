package dev.nimbus.proxmox.client.model;

import tools.jackson.databind.JsonNode;

/** One sample of {@code GET /cluster/metrics/export} (PVE 8.4+). */
public record MetricSample(String id, String metric, long timestamp, String type, Double value) {

  public static MetricSample from(JsonNode n) {
    Long ts = Lenient.longValue(n, "timestamp");
    return new MetricSample(
        Lenient.text(n, "id"),
        Lenient.text(n, "metric"),
        ts == null ? 0 : ts,
        Lenient.text(n, "type"),
        Lenient.doubleValue(n, "value"));
  }
}
