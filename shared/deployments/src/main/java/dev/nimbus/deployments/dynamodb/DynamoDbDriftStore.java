package dev.nimbus.deployments.dynamodb;

import dev.nimbus.aws.TableKeys;
import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.deployments.drift.DriftClass;
import dev.nimbus.deployments.drift.DriftProperty;
import dev.nimbus.deployments.drift.DriftStatus;
import dev.nimbus.deployments.drift.DriftStore;
import dev.nimbus.model.ConnectionRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drift records on the one table through the Enhanced Client, in the connection's partition beside
 * its CIs ({@code DRIFT#<stack>#<nativeKey>}; keys from {@code TableKeys}). A record is one
 * PutItem; a connection's or a stack's records one paged Query of a key prefix. Resolved records
 * expire {@code retention} after they were resolved.
 */
public final class DynamoDbDriftStore implements DriftStore {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<DriftProperty>> PROPS = new TypeReference<>() {};

  private final DynamoDbTable<DriftItem> table;
  private final Duration retention;
  private final AtomicLong writes = new AtomicLong();

  public DynamoDbDriftStore(DynamoDbClient dynamoDb, String tableName, Duration retention) {
    this.table =
        DynamoDbEnhancedClient.builder()
            .dynamoDbClient(dynamoDb)
            .build()
            .table(tableName, TableSchema.fromImmutableClass(DriftItem.class));
    this.retention = Objects.requireNonNull(retention, "retention");
  }

  @Override
  public void put(Drift d) {
    table.putItem(toItem(d));
    writes.incrementAndGet();
  }

  @Override
  public List<Drift> byConnection(ConnectionRef connection) {
    return query(connection, TableKeys.driftPrefix(null));
  }

  @Override
  public List<Drift> byStack(ConnectionRef connection, String stack) {
    return query(connection, TableKeys.driftPrefix(stack));
  }

  private List<Drift> query(ConnectionRef c, String prefix) {
    List<Drift> out = new ArrayList<>();
    table
        .query(
            QueryEnhancedRequest.builder()
                .queryConditional(
                    QueryConditional.sortBeginsWith(
                        Key.builder()
                            .partitionValue(TableKeys.connectionPk(c.tenantId(), c.connectionId()))
                            .sortValue(prefix)
                            .build()))
                .consistentRead(true)
                .build())
        .items()
        .forEach(
            i -> {
              // Defence in depth, as the CMDB does: an item must belong to the connection asked.
              if (c.tenantId().equals(i.tenantId()) && c.connectionId().equals(i.connectionId())) {
                out.add(fromItem(i));
              }
            });
    return out;
  }

  @Override
  public long writes() {
    return writes.get();
  }

  DriftItem toItem(Drift d) {
    ConnectionRef c = d.connection();
    return DriftItem.builder()
        .pk(TableKeys.connectionPk(c.tenantId(), c.connectionId()))
        .sk(TableKeys.driftSk(d.stack(), d.nativeKey()))
        .itemType(TableKeys.TYPE_DRIFT)
        .tenantId(c.tenantId())
        .connectionId(c.connectionId())
        .stack(d.stack())
        .nativeKey(d.nativeKey())
        .urn(d.urn())
        .resourceType(d.resourceType())
        .semanticType(d.semanticType())
        .driftClass(d.driftClass().name())
        .properties(JSON.writeValueAsString(d.properties()))
        .author(d.author())
        .taskId(d.taskId())
        .recommendation(d.recommendation())
        .fingerprint(d.fingerprint())
        .status(d.status().name())
        .detectedAt(d.detectedAt())
        .resolvedAt(d.resolvedAt())
        .expiresAt(d.resolvedAt() == null ? null : d.resolvedAt().plus(retention).getEpochSecond())
        .build();
  }

  static Drift fromItem(DriftItem i) {
    return new Drift(
        new ConnectionRef(i.tenantId(), i.connectionId()),
        i.stack(),
        i.nativeKey(),
        i.urn(),
        i.resourceType(),
        i.semanticType(),
        DriftClass.valueOf(i.driftClass()),
        i.properties() == null ? List.of() : JSON.readValue(i.properties(), PROPS),
        i.author(),
        i.taskId(),
        i.recommendation(),
        i.fingerprint(),
        DriftStatus.valueOf(i.status()),
        i.detectedAt(),
        i.resolvedAt());
  }
}
