package dev.nimbus.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which tenant and which of its connections (one Proxmox cluster, one cloud account) a CI belongs
 * to. Both ids are short slugs so they can be embedded in keys.
 */
public record ConnectionRef(String tenantId, String connectionId) {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  public ConnectionRef {
    requireSlug("tenantId", tenantId);
    requireSlug("connectionId", connectionId);
  }

  static void requireSlug(String field, String value) {
    Objects.requireNonNull(value, field);
    if (!SLUG.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field
              + " must be 1-63 lower-case letters, digits or '-', starting with a letter or digit: '"
              + value
              + "'");
    }
  }

  @Override
  public String toString() {
    return tenantId + "/" + connectionId;
  }
}
