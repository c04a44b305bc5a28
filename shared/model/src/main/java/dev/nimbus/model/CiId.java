package dev.nimbus.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The stable identity of a configuration item. It is derived from provider, connection and native
 * key, so the same resource gets the same id in every run (a VM migrated to another node keeps its
 * native key {@code qemu/101} and so its id), and two connections never share ids. The value is
 * opaque, short and safe in keys: {@code ci-} plus 32 hex digits of a SHA-256.
 */
public record CiId(String value) implements Comparable<CiId> {
  private static final Pattern FORMAT = Pattern.compile("ci-[0-9a-f]{32}");

  public CiId {
    Objects.requireNonNull(value, "value");
    if (!FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("not a CI id: '" + value + "'");
    }
  }

  /**
   * The id of the resource {@code nativeKey} of {@code provider} seen through {@code connection}.
   */
  public static CiId of(String provider, ConnectionRef connection, String nativeKey) {
    Objects.requireNonNull(connection, "connection");
    String material =
        String.join(
            "\u0000",
            requireText("provider", provider),
            connection.tenantId(),
            connection.connectionId(),
            NativeKeys.requireValid(nativeKey));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
      return new CiId("ci-" + HexFormat.of().formatHex(digest, 0, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return value;
  }

  @Override
  public int compareTo(CiId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
