package dev.nimbus.connections;

import dev.nimbus.model.ConnectionRef;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a stored secret belongs to: a tenant, a connection and a purpose (the API token secret, or
 * one secret tunnel header). It becomes the KMS encryption context and the AES-GCM associated data,
 * so a ciphertext copied to another connection, tenant or field fails to decrypt.
 */
public record SecretContext(ConnectionRef ref, String purpose) {
  /** Purpose of the Proxmox API token secret. */
  public static final String TOKEN_SECRET = "token-secret";

  private static final String HEADER_PREFIX = "header:";

  public SecretContext {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(purpose, "purpose");
  }

  /** The context of a connection's API token secret. */
  public static SecretContext tokenSecret(ConnectionRef ref) {
    return new SecretContext(ref, TOKEN_SECRET);
  }

  /**
   * The context of a secret tunnel header. HTTP header names are case-insensitive, so the name is
   * lower-cased: re-typing a header's case must not make its value undecryptable.
   */
  public static SecretContext header(ConnectionRef ref, String headerName) {
    return new SecretContext(ref, HEADER_PREFIX + headerName.toLowerCase(java.util.Locale.ROOT));
  }

  /** The KMS encryption context: tenant, connection and purpose. */
  public Map<String, String> encryptionContext() {
    return Map.of("tenant", ref.tenantId(), "connection", ref.connectionId(), "purpose", purpose);
  }

  /**
   * The canonical byte form of {@link #encryptionContext()} (keys sorted, {@code key=value} lines)
   * used as AES-GCM associated data, so the local layer is bound to the same context as KMS.
   */
  public byte[] associatedData() {
    StringBuilder sb = new StringBuilder("nimbus-secret");
    new TreeMap<>(encryptionContext())
        .forEach((k, v) -> sb.append('\n').append(k).append('=').append(v));
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
