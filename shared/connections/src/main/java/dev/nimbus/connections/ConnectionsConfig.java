package dev.nimbus.connections;

import java.util.Objects;

/**
 * Configuration of the connection store: the table ({@code TABLE_NAME}) and the KMS key new secrets
 * are encrypted under ({@code TOKEN_KEY_ID}, the template's key alias). Each function reads and
 * checks its variables at start-up and builds this from them.
 */
public record ConnectionsConfig(String tableName, String tokenKeyId) {
  public ConnectionsConfig {
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(tokenKeyId, "tokenKeyId");
  }
}
