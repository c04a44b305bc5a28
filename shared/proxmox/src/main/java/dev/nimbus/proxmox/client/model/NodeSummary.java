package dev.nimbus.proxmox.client.model;

import tools.jackson.databind.JsonNode;

/**
 * One row of {@code GET /nodes}, including the node certificate's SHA-256 {@code ssl_fingerprint},
 * which a discovery client can pin (trust on first use).
 */
public record NodeSummary(
    String node,
    String status,
    Double cpu,
    Double maxcpu,
    Long mem,
    Long maxmem,
    Long disk,
    Long maxdisk,
    Long uptime,
    String sslFingerprint,
    String level,
    JsonNode raw) {

  public static NodeSummary from(JsonNode n) {
    return new NodeSummary(
        Lenient.text(n, "node"),
        Lenient.text(n, "status"),
        Lenient.doubleValue(n, "cpu"),
        Lenient.doubleValue(n, "maxcpu"),
        Lenient.longValue(n, "mem"),
        Lenient.longValue(n, "maxmem"),
        Lenient.longValue(n, "disk"),
        Lenient.longValue(n, "maxdisk"),
        Lenient.longValue(n, "uptime"),
        Lenient.text(n, "ssl_fingerprint"),
        Lenient.text(n, "level"),
        n);
  }
}
