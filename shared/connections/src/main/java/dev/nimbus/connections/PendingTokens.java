package dev.nimbus.connections;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * API tokens the connection wizard minted that no connection holds yet. Proxmox shows a new token's
 * secret once, and it must not travel back to the browser, so the wizard keeps it here,
 * KMS-encrypted under the context of the connection it is meant for (tenant, connection id, {@code
 * token-secret}), until the user saves that connection or the item expires ({@code expiresAt}, the
 * table's TTL attribute; an expired item is also ignored on read, since DynamoDB deletes late).
 *
 * <p>Item: {@code PK = TENANT#t}, {@code SK = MINTED#c}, the token id in clear, the secret as the
 * same ciphertext map a connection stores. One pending token per (tenant, connection id): minting
 * again replaces it.
 */
public final class PendingTokens {
  /** How long a minted token waits for its connection to be saved. */
  public static final Duration LIFETIME = Duration.ofHours(1);

  private final DynamoDbClient dynamo;
  private final String tableName;
  private final TokenCipher cipher;
  private final Clock clock;

  public PendingTokens(DynamoDbClient dynamo, String tableName, TokenCipher cipher, Clock clock) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A pending token: its id, and its secret decrypted for one use (close it). */
  public record Resolved(String tokenId, Secret secret) implements AutoCloseable {
    @Override
    public void close() {
      secret.destroy();
    }
  }

  /** Encrypts and keeps {@code secret} for the connection {@code ref} (not destroyed here). */
  public void put(ConnectionRef ref, String tokenId, Secret secret) {
    EncryptedSecret encrypted = cipher.encrypt(secret, SecretContext.tokenSecret(ref));
    Instant now = clock.instant();
    Map<String, AttributeValue> item = new HashMap<>(key(ref));
    item.put("type", ConnectionItems.s("MINTED_TOKEN"));
    item.put("tokenId", ConnectionItems.s(tokenId));
    item.put("tokenSecret", ConnectionItems.encrypted(encrypted));
    item.put("createdAt", ConnectionItems.s(now.toString()));
    item.put("expiresAt", ConnectionItems.n(now.plus(LIFETIME).getEpochSecond()));
    dynamo.putItem(b -> b.tableName(tableName).item(item));
  }

  /** The token id of the pending token, without decrypting anything. */
  public Optional<String> tokenId(ConnectionRef ref) {
    return read(ref).map(i -> i.get("tokenId").s());
  }

  /** The pending token with its secret decrypted, if one exists and has not expired. */
  public Optional<Resolved> resolve(ConnectionRef ref) {
    return read(ref)
        .map(
            i ->
                new Resolved(
                    i.get("tokenId").s(),
                    cipher.decrypt(
                        ConnectionItems.encrypted(i.get("tokenSecret")),
                        SecretContext.tokenSecret(ref))));
  }

  /** Forgets the pending token (after its connection was saved). */
  public void remove(ConnectionRef ref) {
    dynamo.deleteItem(b -> b.tableName(tableName).key(key(ref)));
  }

  private Optional<Map<String, AttributeValue>> read(ConnectionRef ref) {
    Map<String, AttributeValue> item =
        dynamo.getItem(b -> b.tableName(tableName).key(key(ref)).consistentRead(true)).item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    long expires = Long.parseLong(item.get("expiresAt").n());
    if (expires <= clock.instant().getEpochSecond()) {
      return Optional.empty();
    }
    return Optional.of(item);
  }

  private static Map<String, AttributeValue> key(ConnectionRef ref) {
    return Map.of(
        "PK", ConnectionItems.s(ConnectionItems.tenantKey(ref.tenantId())),
        "SK", ConnectionItems.s("MINTED#" + ref.connectionId()));
  }
}
