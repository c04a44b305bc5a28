package dev.nimbus.webhooks;

import dev.nimbus.aws.TableDocuments;
import dev.nimbus.aws.TableKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Kept webhook failures in the Nimbus table: item {@code PK = TENANT#<t>}, {@code SK =
 * WHFAIL#<webhookId>#<eventId>}, {@code itemType = WEBHOOK_FAILURE}, expiring through the table's
 * TTL ({@code expiresAt}) after the retention period. One item per webhook and event: a failure
 * that fails again on replay is updated in place, and a successful replay deletes it.
 */
public final class WebhookFailureRepository {
  static final String ITEM_TYPE = TableKeys.TYPE_WEBHOOK_FAILURE;

  private final DynamoDbTable<EnhancedDocument> table;
  private final Duration retention;

  public WebhookFailureRepository(DynamoDbClient dynamo, String tableName, Duration retention) {
    Objects.requireNonNull(dynamo, "dynamo");
    Objects.requireNonNull(tableName, "tableName");
    this.table =
        TableDocuments.table(
            DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build(), tableName);
    this.retention = Objects.requireNonNull(retention, "retention");
  }

  /** Stores or replaces a failure. */
  public void record(WebhookFailure failure) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(TableKeys.PK, s(TableKeys.tenantPk(failure.tenantId())));
    item.put(TableKeys.SK, s(TableKeys.webhookFailureSk(failure.webhookId(), failure.eventId())));
    item.put(TableKeys.ITEM_TYPE, s(ITEM_TYPE));
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
    item.put(TableKeys.EXPIRES_AT, n(failure.lastAttemptAt().plus(retention).getEpochSecond()));
    table.putItem(TableDocuments.of(item));
  }

  /**
   * The kept failures of a tenant, of one webhook when {@code webhookId} is not null (every page,
   * through the SDK's paginator).
   */
  public List<WebhookFailure> list(String tenantId, String webhookId) {
    List<WebhookFailure> out = new ArrayList<>();
    table
        .query(
            QueryEnhancedRequest.builder()
                .queryConditional(
                    QueryConditional.sortBeginsWith(
                        TableDocuments.key(
                            TableKeys.tenantPk(tenantId),
                            TableKeys.webhookFailurePrefix(webhookId))))
                .consistentRead(true)
                .build())
        .items()
        .forEach(doc -> out.add(decode(doc.toMap())));
    return out;
  }

  /** Removes a failure (after a successful replay). */
  public void delete(WebhookFailure failure) {
    table.deleteItem(
        TableDocuments.key(
            TableKeys.tenantPk(failure.tenantId()),
            TableKeys.webhookFailureSk(failure.webhookId(), failure.eventId())));
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
