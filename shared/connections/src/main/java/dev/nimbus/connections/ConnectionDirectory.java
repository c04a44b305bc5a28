package dev.nimbus.connections;

import static dev.nimbus.connections.ConnectionItems.s;

import dev.nimbus.aws.TableKeys;
import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * System-level, cross-tenant views of the connections, for the discovery scheduler and key rotation
 * only. It returns {@link ConnectionRef}s and nothing else: reading a connection still goes through
 * the tenant-scoped {@link ConnectionRepository}. Never expose it to a tenant-facing API.
 */
public final class ConnectionDirectory {
  private final DynamoDbClient dynamo;
  private final String tableName;

  public ConnectionDirectory(DynamoDbClient dynamo, String tableName) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
  }

  /**
   * Enabled connections of every tenant whose next discovery is due at or before {@code now}, most
   * overdue first. One query on GSI1 ({@code GSI1PK = SCHEDULE}, {@code GSI1SK = <due>#t#c});
   * disabled connections are not in that index at all.
   */
  public List<ConnectionRef> dueConnections(Instant now) {
    List<ConnectionRef> due = new ArrayList<>();
    QueryRequest query =
        QueryRequest.builder()
            .tableName(tableName)
            .indexName(TableKeys.GSI1)
            .keyConditionExpression("GSI1PK = :schedule AND GSI1SK <= :now")
            .expressionAttributeValues(
                Map.of(
                    ":schedule", s(TableKeys.SCHEDULE_PARTITION),
                    ":now", s(TableKeys.dueUpTo(now))))
            .projectionExpression("tenantId, connectionId")
            .build();
    dynamo.queryPaginator(query).items().forEach(i -> due.add(ref(i)));
    return due;
  }

  /** Every connection of every tenant (a paginated scan; for rare jobs such as key rotation). */
  public List<ConnectionRef> allConnections() {
    List<ConnectionRef> all = new ArrayList<>();
    ScanRequest scan =
        ScanRequest.builder()
            .tableName(tableName)
            .filterExpression("itemType = :type")
            .expressionAttributeValues(Map.of(":type", s(ConnectionItems.CONNECTION)))
            .projectionExpression("tenantId, connectionId")
            .consistentRead(true)
            .build();
    dynamo.scanPaginator(scan).items().forEach(i -> all.add(ref(i)));
    return all;
  }

  private static ConnectionRef ref(Map<String, AttributeValue> item) {
    return new ConnectionRef(item.get("tenantId").s(), item.get("connectionId").s());
  }
}
