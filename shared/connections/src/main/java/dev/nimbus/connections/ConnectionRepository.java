package dev.nimbus.connections;

import static dev.nimbus.connections.ConnectionItems.n;
import static dev.nimbus.connections.ConnectionItems.s;

import dev.nimbus.model.ConnectionRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Stores connections of one tenant at a time in the shared table. Every method takes the tenant
 * (directly or in a {@link ConnectionRef}) and touches only that tenant's partition, so no call can
 * read or change another tenant's connection. Writes are conditional on the version read
 * (optimistic locking), and each user-visible change is written in one transaction with its audit
 * entry, so the trail cannot miss a change.
 */
public final class ConnectionRepository {
  private static final java.util.regex.Pattern TENANT =
      java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final DynamoDbClient dynamo;
  private final String tableName;

  public ConnectionRepository(DynamoDbClient dynamo, String tableName) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
  }

  /**
   * Stores a new connection (version 1) with its audit entry.
   *
   * @throws ConnectionAlreadyExistsException if the tenant already has this connection id
   */
  public void create(Connection connection, AuditEntry audit) {
    requireSameConnection(connection, audit);
    Put put =
        Put.builder()
            .tableName(tableName)
            .item(ConnectionItems.toItem(connection))
            .conditionExpression("attribute_not_exists(PK)")
            .build();
    try {
      write(put, audit);
    } catch (TransactionCanceledException e) {
      throw new ConnectionAlreadyExistsException(connection.ref());
    }
  }

  /** The connection, if this tenant has it. */
  public Optional<Connection> find(ConnectionRef ref) {
    Map<String, AttributeValue> item =
        dynamo
            .getItem(b -> b.tableName(tableName).key(ConnectionItems.key(ref)).consistentRead(true))
            .item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    Connection c = ConnectionItems.fromItem(item);
    // Defence in depth: the key already scopes to the tenant; the stored ids must agree.
    if (!c.ref().equals(ref)) {
      throw new IllegalStateException("stored connection " + c.ref() + " found under key " + ref);
    }
    return Optional.of(c);
  }

  /** All connections of one tenant, by id. */
  public List<Connection> list(String tenantId) {
    requireTenant(tenantId);
    List<Connection> result = new ArrayList<>();
    QueryRequest query =
        QueryRequest.builder()
            .tableName(tableName)
            .keyConditionExpression("PK = :pk AND begins_with(SK, :conn)")
            .expressionAttributeValues(
                Map.of(
                    ":pk", s(ConnectionItems.tenantKey(tenantId)),
                    ":conn", s(ConnectionItems.connectionKey(""))))
            .consistentRead(true)
            .build();
    dynamo.queryPaginator(query).items().forEach(i -> result.add(ConnectionItems.fromItem(i)));
    return result;
  }

  /**
   * Replaces the stored connection if its version is still {@code expectedVersion}; {@code updated}
   * must carry {@code expectedVersion + 1}. {@code audit} may be empty for system bookkeeping
   * (recording a discovery run).
   *
   * @throws VersionConflictException if the version moved on
   * @throws ConnectionNotFoundException if the connection is gone
   */
  public void update(Connection updated, long expectedVersion, Optional<AuditEntry> audit) {
    if (updated.version() != expectedVersion + 1) {
      throw new IllegalArgumentException(
          "updated version " + updated.version() + " must follow " + expectedVersion);
    }
    audit.ifPresent(a -> requireSameConnection(updated, a));
    Put put =
        Put.builder()
            .tableName(tableName)
            .item(ConnectionItems.toItem(updated))
            .conditionExpression("#v = :expected")
            .expressionAttributeNames(Map.of("#v", ConnectionItems.VERSION))
            .expressionAttributeValues(Map.of(":expected", n(expectedVersion)))
            .build();
    try {
      if (audit.isPresent()) {
        write(put, audit.get());
      } else {
        dynamo.putItem(
            b ->
                b.tableName(tableName)
                    .item(put.item())
                    .conditionExpression(put.conditionExpression())
                    .expressionAttributeNames(put.expressionAttributeNames())
                    .expressionAttributeValues(put.expressionAttributeValues()));
      }
    } catch (TransactionCanceledException
        | software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
      throw conflictOrMissing(updated.ref(), expectedVersion);
    }
  }

  /**
   * Deletes the connection if its version is still {@code expectedVersion}, writing the audit entry
   * in the same transaction. Its audit trail stays.
   */
  public void delete(ConnectionRef ref, long expectedVersion, AuditEntry audit) {
    if (!audit.ref().equals(ref)) {
      throw new IllegalArgumentException("audit entry is for " + audit.ref() + ", not " + ref);
    }
    TransactWriteItem delete =
        TransactWriteItem.builder()
            .delete(
                d ->
                    d.tableName(tableName)
                        .key(ConnectionItems.key(ref))
                        .conditionExpression("#v = :expected")
                        .expressionAttributeNames(Map.of("#v", ConnectionItems.VERSION))
                        .expressionAttributeValues(Map.of(":expected", n(expectedVersion))))
            .build();
    try {
      dynamo.transactWriteItems(b -> b.transactItems(delete, auditPut(audit)));
    } catch (TransactionCanceledException e) {
      throw conflictOrMissing(ref, expectedVersion);
    }
  }

  /** The audit trail of one connection of this tenant, oldest first (kept after deletion). */
  public List<AuditEntry> auditTrail(ConnectionRef ref) {
    List<AuditEntry> result = new ArrayList<>();
    QueryRequest query =
        QueryRequest.builder()
            .tableName(tableName)
            .keyConditionExpression("PK = :pk AND begins_with(SK, :audit)")
            .expressionAttributeValues(
                Map.of(
                    ":pk", s(ConnectionItems.tenantKey(ref.tenantId())),
                    ":audit", s(ConnectionItems.auditPrefix(ref.connectionId()))))
            .consistentRead(true)
            .build();
    dynamo.queryPaginator(query).items().forEach(i -> result.add(ConnectionItems.auditFromItem(i)));
    // Two changes in one millisecond sort by the version they produced.
    result.sort(Comparator.comparing(AuditEntry::at).thenComparingLong(AuditEntry::version));
    return result;
  }

  private void write(Put put, AuditEntry audit) {
    dynamo.transactWriteItems(
        b -> b.transactItems(TransactWriteItem.builder().put(put).build(), auditPut(audit)));
  }

  private TransactWriteItem auditPut(AuditEntry audit) {
    String unique = UUID.randomUUID().toString().substring(0, 8);
    return TransactWriteItem.builder()
        .put(
            p ->
                p.tableName(tableName)
                    .item(ConnectionItems.toItem(audit, unique))
                    .conditionExpression("attribute_not_exists(PK)"))
        .build();
  }

  private ConnectionException conflictOrMissing(ConnectionRef ref, long expectedVersion) {
    return find(ref).isPresent()
        ? new VersionConflictException(ref, expectedVersion)
        : new ConnectionNotFoundException(ref);
  }

  private static void requireSameConnection(Connection c, AuditEntry audit) {
    if (!audit.ref().equals(c.ref())) {
      throw new IllegalArgumentException("audit entry is for " + audit.ref() + ", not " + c.ref());
    }
  }

  /** A blank or malformed tenant id never reaches a key: no call runs without a tenant. */
  static void requireTenant(String tenantId) {
    Objects.requireNonNull(tenantId, "tenantId");
    if (!TENANT.matcher(tenantId).matches()) {
      throw new IllegalArgumentException("tenantId '" + tenantId + "' is not a tenant id");
    }
  }
}
