package dev.nimbus.wizard;

import dev.nimbus.aws.TableDocuments;
import dev.nimbus.aws.TableKeys;
import dev.nimbus.connections.EncryptedSecret;
import dev.nimbus.connections.SecretContext;
import dev.nimbus.connections.TokenCipher;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Start-and-poll previews. A Lambda function cannot keep working after it answered, and a large or
 * slow cluster's preview does not fit API Gateway's 30 s, so {@code POST /api/preview} only stores
 * the request and hands it to a second invocation ({@link PreviewLauncher}); that invocation runs
 * the preview with its own budget and stores the outcome; {@code GET /api/preview/{id}} reads it.
 *
 * <p>Item: {@code PK = TENANT#t}, {@code SK = PREVIEW#id}, {@code itemType = PREVIEW}, the status,
 * the request (it holds the token secret and header values) KMS-encrypted under the context
 * (tenant, connection, {@code preview-request}) until the second invocation took it, then the
 * answer JSON; {@code expiresAt} (TTL) one hour after the start, and an expired item is ignored on
 * read. The key holds the tenant, so another tenant's id names nothing (404).
 */
public final class PreviewJobs {
  /** How long a preview's item is kept. */
  public static final Duration LIFETIME = Duration.ofHours(1);

  /** The KMS encryption context purpose of a stored preview request. */
  public static final String PURPOSE = "preview-request";

  private static final Pattern ID = Pattern.compile("[a-f0-9]{32}");

  /** Where a preview is. */
  public enum Status {
    RUNNING,
    DONE,
    FAILED
  }

  /**
   * A preview as polled.
   *
   * @param answerJson the result (DONE) or the problem (FAILED) as the API shaped it; null while
   *     RUNNING
   * @param httpStatus the status the synchronous call would have answered (200, or the problem's)
   */
  public record Job(
      String previewId,
      String connectionId,
      Status status,
      Instant startedAt,
      String answerJson,
      int httpStatus) {}

  /** A claimed request: who it is for and its body, decrypted for one use (close it). */
  public record Claimed(ConnectionRef ref, Secret request) implements AutoCloseable {
    @Override
    public void close() {
      request.destroy();
    }
  }

  private final DynamoDbTable<EnhancedDocument> table;
  private final TokenCipher cipher;
  private final Clock clock;

  public PreviewJobs(DynamoDbClient dynamo, String tableName, TokenCipher cipher, Clock clock) {
    this.table =
        TableDocuments.table(
            DynamoDbEnhancedClient.builder()
                .dynamoDbClient(Objects.requireNonNull(dynamo, "dynamo"))
                .build(),
            Objects.requireNonNull(tableName, "tableName"));
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Whether {@code id} has the form of a preview id (anything else is simply not found). */
  public static boolean isPreviewId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /**
   * Stores a validated request (not destroyed here) as RUNNING and returns the new preview id. The
   * caller then launches the second invocation.
   */
  public String start(ConnectionRef ref, Secret request) {
    String id = UUID.randomUUID().toString().replace("-", "");
    EncryptedSecret encrypted = cipher.encrypt(request, context(ref));
    Instant now = clock.instant();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(TableKeys.PK, s(TableKeys.tenantPk(ref.tenantId())));
    item.put(TableKeys.SK, s(TableKeys.previewSk(id)));
    item.put(TableKeys.ITEM_TYPE, s(TableKeys.TYPE_PREVIEW));
    item.put("connectionId", s(ref.connectionId()));
    item.put("status", s(Status.RUNNING.name()));
    item.put("request", encrypted(encrypted));
    item.put("startedAt", s(now.toString()));
    item.put(TableKeys.EXPIRES_AT, n(now.plus(LIFETIME).getEpochSecond()));
    table.putItem(TableDocuments.of(item));
    return id;
  }

  /**
   * {@link #start} and hands the new preview to {@code launcher}. When the launch itself is refused
   * (the asynchronous invoke throttled or denied, the function's alias gone), no invocation will
   * ever claim the preview: it would poll as running and keep its encrypted request in the table
   * until its TTL. It is recorded FAILED at once instead, with {@code refusedStatus} and {@code
   * refusedAnswerJson} and without its request, and the launcher's exception is rethrown. If even
   * that write fails the TTL still removes the item within {@link #LIFETIME}.
   */
  public String startAndLaunch(
      ConnectionRef ref,
      Secret request,
      PreviewLauncher launcher,
      int refusedStatus,
      String refusedAnswerJson) {
    String id = start(ref, request);
    try {
      launcher.launch(ref.tenantId(), id);
    } catch (RuntimeException refused) {
      try {
        finish(ref.tenantId(), id, refusedStatus, refusedAnswerJson);
      } catch (RuntimeException alsoFailed) {
        refused.addSuppressed(alsoFailed);
      }
      throw refused;
    }
    return id;
  }

  /**
   * The stored request of a RUNNING preview, decrypted, for the second invocation; empty when the
   * preview is unknown, expired or already finished (an asynchronous invocation may be delivered
   * twice: the second delivery does nothing).
   */
  public Optional<Claimed> claim(String tenantId, String previewId) {
    return read(tenantId, previewId)
        .filter(i -> Status.RUNNING.name().equals(i.get("status").s()) && i.containsKey("request"))
        .map(
            i -> {
              ConnectionRef ref = new ConnectionRef(tenantId, i.get("connectionId").s());
              return new Claimed(ref, cipher.decrypt(encrypted(i.get("request")), context(ref)));
            });
  }

  /**
   * Records the outcome and drops the encrypted request: {@code httpStatus} 200 with the result,
   * else the problem answer.
   */
  public void finish(String tenantId, String previewId, int httpStatus, String answerJson) {
    Optional<Map<String, AttributeValue>> current = read(tenantId, previewId);
    if (current.isEmpty()) {
      return;
    }
    Map<String, AttributeValue> item = new HashMap<>(current.get());
    item.remove("request");
    item.put("status", s((httpStatus == 200 ? Status.DONE : Status.FAILED).name()));
    item.put("httpStatus", n(httpStatus));
    item.put("answer", s(answerJson));
    item.put("finishedAt", s(clock.instant().toString()));
    table.putItem(TableDocuments.of(item));
  }

  /** The preview as the tenant may see it; empty for an unknown, expired or malformed id. */
  public Optional<Job> get(String tenantId, String previewId) {
    if (!isPreviewId(previewId)) {
      return Optional.empty();
    }
    return read(tenantId, previewId)
        .map(
            i ->
                new Job(
                    previewId,
                    i.get("connectionId").s(),
                    Status.valueOf(i.get("status").s()),
                    Instant.parse(i.get("startedAt").s()),
                    i.containsKey("answer") ? i.get("answer").s() : null,
                    i.containsKey("httpStatus") ? Integer.parseInt(i.get("httpStatus").n()) : 200));
  }

  private Optional<Map<String, AttributeValue>> read(String tenantId, String previewId) {
    if (!isPreviewId(previewId)) {
      return Optional.empty();
    }
    Key key = TableDocuments.key(TableKeys.tenantPk(tenantId), TableKeys.previewSk(previewId));
    EnhancedDocument doc =
        table.getItem(GetItemEnhancedRequest.builder().key(key).consistentRead(true).build());
    if (doc == null) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item = doc.toMap();
    // DynamoDB deletes expired items late; an expired preview is gone for the tenant.
    if (Long.parseLong(item.get(TableKeys.EXPIRES_AT).n()) <= clock.instant().getEpochSecond()) {
      return Optional.empty();
    }
    return Optional.of(item);
  }

  private static SecretContext context(ConnectionRef ref) {
    return new SecretContext(ref, PURPOSE);
  }

  private static AttributeValue encrypted(EncryptedSecret e) {
    return AttributeValue.fromM(
        Map.of(
            "v", n(e.formatVersion()),
            "key", s(e.keyId()),
            "edk", AttributeValue.fromB(SdkBytes.fromByteArray(e.encryptedDataKey())),
            "iv", AttributeValue.fromB(SdkBytes.fromByteArray(e.iv())),
            "ct", AttributeValue.fromB(SdkBytes.fromByteArray(e.ciphertext()))));
  }

  private static EncryptedSecret encrypted(AttributeValue v) {
    Map<String, AttributeValue> m = v.m();
    return new EncryptedSecret(
        Integer.parseInt(m.get("v").n()),
        m.get("key").s(),
        m.get("edk").b().asByteArray(),
        m.get("iv").b().asByteArray(),
        m.get("ct").b().asByteArray());
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
