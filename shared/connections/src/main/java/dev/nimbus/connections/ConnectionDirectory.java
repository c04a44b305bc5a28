package dev.nimbus.connections;

import dev.nimbus.aws.TableDocuments;
import dev.nimbus.aws.TableKeys;
import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ScanEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * System-level, cross-tenant views of the connections, for the discovery scheduler and key rotation
 * only. It returns {@link ConnectionRef}s and nothing else: reading a connection still goes through
 * the tenant-scoped {@link ConnectionRepository}. Never expose it to a tenant-facing API.
 */
public final class ConnectionDirectory {
  private final DynamoDbTable<EnhancedDocument> table;

  public ConnectionDirectory(DynamoDbClient dynamo, String tableName) {
    Objects.requireNonNull(dynamo, "dynamo");
    Objects.requireNonNull(tableName, "tableName");
    this.table =
        TableDocuments.table(
            DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build(), tableName);
  }

  /**
   * Enabled connections of every tenant whose next discovery is due at or before {@code now}, most
   * overdue first. One query on GSI1 ({@code GSI1PK = SCHEDULE}, {@code GSI1SK = <due>#t#c}), every
   * page through the SDK's paginator; disabled connections are not in that index at all.
   */
  public List<ConnectionRef> dueConnections(Instant now) {
    return due(now).stream().map(DueConnection::ref).toList();
  }

  /**
   * {@link #dueConnections} with what a claim needs (the due time the index holds and the
   * schedule), from the same single query: the scheduler claims each with one conditional write and
   * reads no connection item. The index is eventually consistent, so an entry may be stale (a claim
   * an instant ago); the claim's condition on the due time it saw catches that.
   *
   * <p>Costs one Query request per 1 MB page of due items (the index projects whole items, and
   * DynamoDB meters a page before projecting); a connection item is about 1.5 KB, so up to about
   * 600 due connections a page.
   */
  public List<DueConnection> due(Instant now) {
    List<DueConnection> due = new ArrayList<>();
    table
        .index(TableKeys.GSI1)
        .query(
            QueryEnhancedRequest.builder()
                .queryConditional(
                    QueryConditional.sortLessThanOrEqualTo(
                        Key.builder()
                            .partitionValue(TableKeys.SCHEDULE_PARTITION)
                            .sortValue(TableKeys.dueUpTo(now))
                            .build()))
                .attributesToProject("tenantId", "connectionId", "nextDueAt", "schedule")
                .build())
        .stream()
        .flatMap(page -> page.items().stream())
        .forEach(
            d ->
                due.add(
                    new DueConnection(
                        ref(d), Instant.parse(d.getString("nextDueAt")), d.getString("schedule"))));
    return due;
  }

  /** Every connection of every tenant (a paginated scan; for rare jobs such as key rotation). */
  public List<ConnectionRef> allConnections() {
    List<ConnectionRef> all = new ArrayList<>();
    table
        .scan(
            ScanEnhancedRequest.builder()
                .filterExpression(
                    Expression.builder()
                        .expression("#type = :type")
                        .putExpressionName("#type", TableKeys.ITEM_TYPE)
                        .putExpressionValue(
                            ":type", AttributeValue.fromS(TableKeys.TYPE_CONNECTION))
                        .build())
                .attributesToProject("tenantId", "connectionId")
                .consistentRead(true)
                .build())
        .items()
        .forEach(d -> all.add(ref(d)));
    return all;
  }

  private static ConnectionRef ref(EnhancedDocument item) {
    return new ConnectionRef(item.getString("tenantId"), item.getString("connectionId"));
  }
}
