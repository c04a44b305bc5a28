package dev.nimbus.proxmox.client.model;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One entry of {@code GET /storage} (storage.cfg). {@code nodes} empty means all nodes; a PBS
 * storage carries the pinned {@code fingerprint} of its server. Type-specific keys stay in raw.
 */
public record StorageConfig(
    String storage,
    String type,
    List<String> content,
    List<String> nodes,
    boolean shared,
    boolean disabled,
    String path,
    String server,
    String pool,
    String datastore,
    String fingerprint,
    String digest,
    JsonNode raw) {

  public static StorageConfig from(JsonNode n) {
    return new StorageConfig(
        Lenient.text(n, "storage"),
        Lenient.text(n, "type"),
        Lenient.commaList(Lenient.text(n, "content")),
        Lenient.commaList(Lenient.text(n, "nodes")),
        Lenient.bool(n, "shared"),
        Lenient.bool(n, "disable"),
        Lenient.text(n, "path"),
        Lenient.text(n, "server"),
        Lenient.text(n, "pool"),
        Lenient.text(n, "datastore"),
        Lenient.text(n, "fingerprint"),
        Lenient.text(n, "digest"),
        n);
  }
}
