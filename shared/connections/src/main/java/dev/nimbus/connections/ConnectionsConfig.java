package dev.nimbus.connections;

import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the connection store: the table ({@code TABLE_NAME}) and the KMS key new secrets
 * are encrypted under ({@code TOKEN_KEY_ID}, the template's key alias).
 */
public record ConnectionsConfig(String tableName, String tokenKeyId) {
  public ConnectionsConfig {
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(tokenKeyId, "tokenKeyId");
  }

  /** Reads {@code TABLE_NAME} and {@code TOKEN_KEY_ID}; a missing one is named in the error. */
  public static ConnectionsConfig fromEnvironment(Map<String, String> env) {
    return new ConnectionsConfig(required(env, "TABLE_NAME"), required(env, "TOKEN_KEY_ID"));
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("environment variable " + name + " is not set");
    }
    return value;
  }
}
