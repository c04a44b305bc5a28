package dev.nimbus.webhooks;

import dev.nimbus.aws.TableDocuments;
import dev.nimbus.aws.TableKeys;
import dev.nimbus.aws.WriteIds;
import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.connections.EncryptedSecret;
import dev.nimbus.connections.SecretContext;
import dev.nimbus.connections.TokenCipher;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import dev.nimbus.model.SemanticType;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Webhook subscriptions in the Nimbus table: item {@code PK = TENANT#<t>}, {@code SK =
 * WEBHOOK#<id>}, {@code itemType = WEBHOOK}. The signing secret is envelope-encrypted with the
 * connections module's {@link TokenCipher} under the context {tenant, connection = webhook id,
 * purpose = {@value #PURPOSE}}, so a ciphertext copied to another webhook or tenant does not
 * decrypt. The URL is checked by the {@link UrlPolicy} before it is stored (and again before every
 * delivery, since DNS answers change).
 */
public final class WebhookSubscriptionRepository {
  /** The encryption-context purpose of webhook secrets. */
  public static final String PURPOSE = "webhook";

  static final String ITEM_TYPE = TableKeys.TYPE_WEBHOOK;

  private final DynamoDbTable<EnhancedDocument> table;
  private final TokenCipher cipher;
  private final UrlPolicy urlPolicy;

  public WebhookSubscriptionRepository(
      DynamoDbClient dynamo, String tableName, TokenCipher cipher, UrlPolicy urlPolicy) {
    Objects.requireNonNull(dynamo, "dynamo");
    Objects.requireNonNull(tableName, "tableName");
    this.table =
        TableDocuments.table(
            DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build(), tableName);
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.urlPolicy = Objects.requireNonNull(urlPolicy, "urlPolicy");
  }

  /** A subscription as stored, with its still-encrypted secret. */
  public record Stored(WebhookSubscription subscription, EncryptedSecret encryptedSecret) {}

  /**
   * Stores (or replaces) a subscription and its signing secret; the secret is not destroyed.
   *
   * @throws WebhookUrlRejectedException when the URL is not allowed
   */
  public void save(WebhookSubscription subscription, Secret secret) {
    table.putItem(TableDocuments.of(item(subscription, secret)));
  }

  /**
   * Stores a new subscription and its signing secret, only if none with its id exists: the check
   * and the write are one conditional put, so of two creates of one id racing each other exactly
   * one succeeds (a check before an unconditional put let the second replace the first's secret
   * after it had been shown once). The secret is not destroyed.
   *
   * @return false when a subscription with this id exists already (nothing written)
   * @throws WebhookUrlRejectedException when the URL is not allowed
   */
  public boolean create(WebhookSubscription subscription, Secret secret) {
    Map<String, AttributeValue> item = item(subscription, secret);
    // Names this put, so a retry of it that fails its condition can tell it was applied.
    String writeId = WriteIds.newWriteId();
    item.put(WriteIds.ATTRIBUTE, s(writeId));
    try {
      table.putItem(
          PutItemEnhancedRequest.builder(EnhancedDocument.class)
              .item(TableDocuments.of(item))
              .conditionExpression(
                  Expression.builder()
                      .expression("attribute_not_exists(" + TableKeys.PK + ")")
                      .build())
              .build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      // Our put, applied by an attempt whose answer was lost, is still a create: "already
      // exists" would lose the secret shown only now.
      return WriteIds.itemCarries(table, key(subscription.tenantId(), subscription.id()), writeId);
    }
  }

  private Map<String, AttributeValue> item(WebhookSubscription subscription, Secret secret) {
    urlPolicy.check(subscription.url());
    EncryptedSecret encrypted =
        cipher.encrypt(secret, context(subscription.tenantId(), subscription.id()));
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(TableKeys.PK, s(TableKeys.tenantPk(subscription.tenantId())));
    item.put(TableKeys.SK, s(TableKeys.webhookSk(subscription.id())));
    item.put(TableKeys.ITEM_TYPE, s(ITEM_TYPE));
    item.put("tenantId", s(subscription.tenantId()));
    item.put("webhookId", s(subscription.id()));
    item.put("url", s(subscription.url().toString()));
    item.put("semanticTypes", names(subscription.semanticTypes()));
    item.put("changeKinds", names(subscription.changeKinds()));
    item.put("enabled", AttributeValue.fromBool(subscription.enabled()));
    item.put("createdAt", s(subscription.createdAt().toString()));
    item.put(
        "secret",
        AttributeValue.fromM(
            Map.of(
                "v", AttributeValue.fromN(Integer.toString(encrypted.formatVersion())),
                "keyId", s(encrypted.keyId()),
                "dataKey",
                    AttributeValue.fromB(SdkBytes.fromByteArray(encrypted.encryptedDataKey())),
                "iv", AttributeValue.fromB(SdkBytes.fromByteArray(encrypted.iv())),
                "ct", AttributeValue.fromB(SdkBytes.fromByteArray(encrypted.ciphertext())))));
    return item;
  }

  /** One subscription, if it exists. */
  public Optional<Stored> find(String tenantId, String id) {
    EnhancedDocument doc =
        table.getItem(
            GetItemEnhancedRequest.builder().key(key(tenantId, id)).consistentRead(true).build());
    return doc == null ? Optional.empty() : Optional.of(decode(doc.toMap()));
  }

  /** All subscriptions of a tenant, enabled or not (every page, through the SDK's paginator). */
  public List<Stored> list(String tenantId) {
    List<Stored> out = new ArrayList<>();
    table
        .query(
            QueryEnhancedRequest.builder()
                .queryConditional(
                    QueryConditional.sortBeginsWith(
                        TableDocuments.key(TableKeys.tenantPk(tenantId), TableKeys.WEBHOOK_PREFIX)))
                .build())
        .items()
        .forEach(doc -> out.add(decode(doc.toMap())));
    return out;
  }

  /** Decrypts the signing secret of a stored subscription; the caller destroys it after use. */
  public Secret decryptSecret(Stored stored) {
    WebhookSubscription s = stored.subscription();
    return cipher.decrypt(stored.encryptedSecret(), context(s.tenantId(), s.id()));
  }

  /** Removes a subscription (its kept failures stay until replayed or expired). */
  public void delete(String tenantId, String id) {
    table.deleteItem(key(tenantId, id));
  }

  private static Key key(String tenantId, String id) {
    return TableDocuments.key(TableKeys.tenantPk(tenantId), TableKeys.webhookSk(id));
  }

  static SecretContext context(String tenantId, String webhookId) {
    return new SecretContext(new ConnectionRef(tenantId, webhookId), PURPOSE);
  }

  private static Stored decode(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> secret = item.get("secret").m();
    WebhookSubscription subscription =
        new WebhookSubscription(
            item.get("tenantId").s(),
            item.get("webhookId").s(),
            URI.create(item.get("url").s()),
            item.get("semanticTypes").l().stream()
                .map(v -> SemanticType.valueOf(v.s()))
                .collect(Collectors.toSet()),
            item.get("changeKinds").l().stream()
                .map(v -> ChangeKind.valueOf(v.s()))
                .collect(Collectors.toSet()),
            item.get("enabled").bool(),
            Instant.parse(item.get("createdAt").s()));
    EncryptedSecret encrypted =
        new EncryptedSecret(
            Integer.parseInt(secret.get("v").n()),
            secret.get("keyId").s(),
            secret.get("dataKey").b().asByteArray(),
            secret.get("iv").b().asByteArray(),
            secret.get("ct").b().asByteArray());
    return new Stored(subscription, encrypted);
  }

  private static AttributeValue names(Set<? extends Enum<?>> values) {
    return AttributeValue.fromL(
        values.stream().map(v -> s(v.name())).sorted((a, b) -> a.s().compareTo(b.s())).toList());
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
