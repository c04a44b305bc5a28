package dev.nimbus.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Kept webhook failures in the Nimbus table: item {@code PK = TENANT#<t>}, {@code SK =
 * WHFAIL#<webhookId>#<eventId>}, {@code itemType = WEBHOOK_FAILURE}, expiring through the table's
 * TTL ({@code expiresAt}) after the retention period. One item per webhook and event: a failure
 * that fails again on replay is updated in place, and a successful replay deletes it.
 */
public final class WebhookFailureRepository {
  static final String ITEM_TYPE = "WEBHOOK_FAILURE";
  private static final String SK_PREFIX = "WHFAIL#";

  private final DynamoDbClient dynamo;
  private final String tableName;
  private final Duration retention;

  public WebhookFailureRepository(DynamoDbClient dynamo, String tableName, Duration retention) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
    this.retention = Objects.requireNonNull(retention, "retention");
  }

  /** Stores or replaces a failure. */
  public void record(WebhookFailure failure) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("PK", s("TENANT#" + failure.tenantId()));
    item.put("SK", s(sortKey(failure.webhookId(), failure.eventId())));
    item.put("itemType", s(ITEM_TYPE));
    item.put("tenantId", s(failure.tenantId()));
    item.put("webhookId", s(failure.webhookId()));
    item.put("eventId", s(failure.eventId()));
    if (failure.detailType() != null) {
      item.put("detailType", s(failure.detailType()));
    }
    item.put("body", s(failure.body()));
    item.put("attempts", n(failure.attempts()));
    item.put("lastStatus", n(failure.lastStatus()));
    if (failure.lastError() != null) {
      item.put("lastError", s(failure.lastError()));
    }
    item.put("firstFailedAt", s(failure.firstFailedAt().toString()));
    item.put("lastAttemptAt", s(failure.lastAttemptAt().toString()));
    item.put("expiresAt", n(failure.lastAttemptAt().plus(retention).getEpochSecond()));
    dynamo.putItem(b -> b.tableName(tableName).item(item));
  }

  /** The kept failures of a tenant, of one webhook when {@code webhookId} is not null. */
  public List<WebhookFailure> list(String tenantId, String webhookId) {
    String prefix = webhookId == null ? SK_PREFIX : SK_PREFIX + webhookId + "#";
    List<WebhookFailure> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> exclusiveStart = start;
      QueryResponse page =
          dynamo.query(
              QueryRequest.builder()
                  .tableName(tableName)
                  .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                  .expressionAttributeValues(
                      Map.of(":pk", s("TENANT#" + tenantId), ":prefix", s(prefix)))
                  .consistentRead(true)
                  .exclusiveStartKey(exclusiveStart)
                  .build());
      page.items().forEach(item -> out.add(decode(item)));
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return out;
  }

  /** Removes a failure (after a successful replay). */
  public void delete(WebhookFailure failure) {
    dynamo.deleteItem(
        b ->
            b.tableName(tableName)
                .key(
                    Map.of(
                        "PK",
                        s("TENANT#" + failure.tenantId()),
                        "SK",
                        s(sortKey(failure.webhookId(), failure.eventId())))));
  }

  private static String sortKey(String webhookId, String eventId) {
    return SK_PREFIX + webhookId + "#" + eventId;
  }

  private static WebhookFailure decode(Map<String, AttributeValue> item) {
    return new WebhookFailure(
        item.get("tenantId").s(),
        item.get("webhookId").s(),
        item.get("eventId").s(),
        item.containsKey("detailType") ? item.get("detailType").s() : null,
        item.get("body").s(),
        Integer.parseInt(item.get("attempts").n()),
        Integer.parseInt(item.get("lastStatus").n()),
        item.containsKey("lastError") ? item.get("lastError").s() : null,
        Instant.parse(item.get("firstFailedAt").s()),
        Instant.parse(item.get("lastAttemptAt").s()));
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
