package dev.nimbus.proxmox.client.model;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** One storage as seen by one node: {@code GET /nodes/{node}/storage[/{storage}/status]}. */
public record StorageStatus(
    String storage,
    String type,
    List<String> content,
    boolean active,
    boolean enabled,
    boolean shared,
    Long total,
    Long used,
    Long avail,
    JsonNode raw) {

  public static StorageStatus from(JsonNode n) {
    return from(n, Lenient.text(n, "storage"));
  }

  /** The per-storage status call does not repeat the storage id; the caller supplies it. */
  public static StorageStatus from(JsonNode n, String storage) {
    return new StorageStatus(
        storage,
        Lenient.text(n, "type"),
        Lenient.commaList(Lenient.text(n, "content")),
        Lenient.bool(n, "active"),
        Lenient.bool(n, "enabled"),
        Lenient.bool(n, "shared"),
        Lenient.longValue(n, "total"),
        Lenient.longValue(n, "used"),
        Lenient.longValue(n, "avail"),
        n);
  }
}
