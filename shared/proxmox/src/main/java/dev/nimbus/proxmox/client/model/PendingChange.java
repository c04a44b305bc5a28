package dev.nimbus.proxmox.client.model;

import tools.jackson.databind.JsonNode;

/**
 * One entry of {@code GET .../pending}: the current {@code value}, the {@code pending} new value,
 * and {@code delete} (1 = pending removal, 2 = forced removal, 0 = none).
 */
public record PendingChange(String key, String value, String pending, int delete, JsonNode raw) {

  public static PendingChange from(JsonNode n) {
    Integer delete = Lenient.intValue(n, "delete");
    return new PendingChange(
        Lenient.text(n, "key"),
        Lenient.text(n, "value"),
        Lenient.text(n, "pending"),
        delete == null ? 0 : delete,
        n);
  }

  /** True when the key has a change waiting for the next guest restart. */
  public boolean isPending() {
    return pending != null || delete > 0;
  }
}
