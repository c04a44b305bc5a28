package dev.nimbus.connections;

import dev.nimbus.aws.TableDocuments;
import dev.nimbus.aws.TableKeys;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
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

  private final DynamoDbTable<EnhancedDocument> table;
  private final TokenCipher cipher;
  private final Clock clock;

  public PendingTokens(DynamoDbClient dynamo, String tableName, TokenCipher cipher, Clock clock) {
    Objects.requireNonNull(dynamo, "dynamo");
    Objects.requireNonNull(tableName, "tableName");
    this.table =
        TableDocuments.table(
            DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build(), tableName);
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
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(TableKeys.PK, ConnectionItems.s(TableKeys.tenantPk(ref.tenantId())));
    item.put(TableKeys.SK, ConnectionItems.s(TableKeys.mintedTokenSk(ref.connectionId())));
    item.put(TableKeys.ITEM_TYPE, ConnectionItems.s(TableKeys.TYPE_MINTED_TOKEN));
    item.put("tokenId", ConnectionItems.s(tokenId));
    item.put("tokenSecret", ConnectionItems.encrypted(encrypted));
    item.put("createdAt", ConnectionItems.s(now.toString()));
    item.put(TableKeys.EXPIRES_AT, ConnectionItems.n(now.plus(LIFETIME).getEpochSecond()));
    table.putItem(TableDocuments.of(item));
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
    table.deleteItem(key(ref));
  }

  private Optional<Map<String, AttributeValue>> read(ConnectionRef ref) {
    EnhancedDocument doc =
        table.getItem(GetItemEnhancedRequest.builder().key(key(ref)).consistentRead(true).build());
    if (doc == null) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item = doc.toMap();
    long expires = Long.parseLong(item.get(TableKeys.EXPIRES_AT).n());
    if (expires <= clock.instant().getEpochSecond()) {
      return Optional.empty();
    }
    return Optional.of(item);
  }

  private static Key key(ConnectionRef ref) {
    return TableDocuments.key(
        TableKeys.tenantPk(ref.tenantId()), TableKeys.mintedTokenSk(ref.connectionId()));
  }
}
