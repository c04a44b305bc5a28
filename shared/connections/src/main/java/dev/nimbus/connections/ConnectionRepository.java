package dev.nimbus.connections;

import static dev.nimbus.connections.ConnectionItems.n;

import dev.nimbus.aws.TableDocuments;
import dev.nimbus.aws.TableKeys;
import dev.nimbus.aws.WriteIds;
import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Stores connections of one tenant at a time in the shared table. Every method takes the tenant
 * (directly or in a {@link ConnectionRef}) and touches only that tenant's partition, so no call can
 * read or change another tenant's connection. Writes are conditional on the version read
 * (optimistic locking), and each user-visible change is written in one transaction with its audit
 * entry, so the trail cannot miss a change.
 *
 * <p>Items go through the Enhanced Client's document table ({@link TableDocuments}) with the SDK's
 * paginators; {@link ConnectionItems} maps a connection to its item and back.
 */
public final class ConnectionRepository {
  private static final java.util.regex.Pattern TENANT =
      java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Expression IS_NEW =
      Expression.builder().expression("attribute_not_exists(PK)").build();

  private final DynamoDbClient dynamo;
  private final String tableName;
  private final DynamoDbEnhancedClient enhanced;
  private final DynamoDbTable<EnhancedDocument> table;

  public ConnectionRepository(DynamoDbClient dynamo, String tableName) {
    Objects.requireNonNull(dynamo, "dynamo");
    Objects.requireNonNull(tableName, "tableName");
    this.dynamo = dynamo;
    this.tableName = tableName;
    this.enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
    this.table = TableDocuments.table(enhanced, tableName);
  }

  /**
   * Stores a new connection (version 1) with its audit entry.
   *
   * @throws ConnectionAlreadyExistsException if the tenant already has this connection id
   */
  public void create(Connection connection, AuditEntry audit) {
    requireSameConnection(connection, audit);
    try {
      write(ConnectionItems.toItem(connection), IS_NEW, audit);
    } catch (TransactionCanceledException e) {
      throw new ConnectionAlreadyExistsException(connection.ref());
    }
  }

  /** The connection, if this tenant has it. */
  public Optional<Connection> find(ConnectionRef ref) {
    EnhancedDocument doc =
        table.getItem(GetItemEnhancedRequest.builder().key(key(ref)).consistentRead(true).build());
    if (doc == null) {
      return Optional.empty();
    }
    Connection c = ConnectionItems.fromItem(doc.toMap());
    // Defence in depth: the key already scopes to the tenant; the stored ids must agree.
    if (!c.ref().equals(ref)) {
      throw new IllegalStateException("stored connection " + c.ref() + " found under key " + ref);
    }
    return Optional.of(c);
  }

  /** All connections of one tenant, by id (every page, through the SDK's paginator). */
  public List<Connection> list(String tenantId) {
    requireTenant(tenantId);
    List<Connection> result = new ArrayList<>();
    table
        .query(
            QueryEnhancedRequest.builder()
                .queryConditional(
                    QueryConditional.sortBeginsWith(
                        TableDocuments.key(
                            TableKeys.tenantPk(tenantId), TableKeys.connectionSk(""))))
                .consistentRead(true)
                .build())
        .items()
        .forEach(d -> result.add(ConnectionItems.fromItem(d.toMap())));
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
    Map<String, AttributeValue> item = new HashMap<>(ConnectionItems.toItem(updated));
    Expression atVersion = atVersion(expectedVersion);
    try {
      if (audit.isPresent()) {
        write(item, atVersion, audit.get());
      } else {
        // No audit entry proves this put applied, so it carries a write id (see WriteIds).
        String writeId = WriteIds.newWriteId();
        item.put(WriteIds.ATTRIBUTE, AttributeValue.fromS(writeId));
        try {
          table.putItem(
              PutItemEnhancedRequest.builder(EnhancedDocument.class)
                  .item(TableDocuments.of(item))
                  .conditionExpression(atVersion)
                  .build());
        } catch (ConditionalCheckFailedException e) {
          if (WriteIds.itemCarries(table, key(updated.ref()), writeId)) {
            // Our put, applied by an attempt whose answer was lost: the update is done.
            return;
          }
          throw e;
        }
      }
    } catch (TransactionCanceledException | ConditionalCheckFailedException e) {
      throw conflictOrMissing(updated.ref(), expectedVersion);
    }
  }

  /**
   * Moves a scheduled connection's next due time from {@code seenDue} to {@code nextDue} (empty:
   * the schedule has ended, so it leaves the schedule index) in one conditional UpdateItem, without
   * reading it first: the condition is that it is still scheduled (in the index, so not disabled),
   * still due at {@code seenDue} and still on {@code schedule}. The version grows by one, so a
   * writer that read the connection before the claim gets a version conflict instead of putting the
   * old due time back. Audit-free system bookkeeping, like recording a run.
   *
   * @return the connection as stored after the claim; empty when the condition failed (another tick
   *     claimed it, it was disabled, deleted or rescheduled meanwhile)
   */
  public Optional<Connection> moveDue(
      ConnectionRef ref, Instant seenDue, String schedule, Optional<Instant> nextDue) {
    Map<String, String> names = new HashMap<>();
    names.put("#v", ConnectionItems.VERSION);
    names.put("#due", "nextDueAt");
    names.put("#schedule", "schedule");
    names.put("#gpk", TableKeys.GSI1PK);
    names.put("#gsk", TableKeys.GSI1SK);
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":seen", AttributeValue.fromS(seenDue.toString()));
    values.put(":schedule", AttributeValue.fromS(schedule));
    values.put(":one", n(1));
    // Names this claim, so a retry of it that fails its condition can tell it was applied.
    String claimId = WriteIds.newWriteId();
    names.put("#wid", WriteIds.ATTRIBUTE);
    values.put(":wid", AttributeValue.fromS(claimId));
    String update;
    if (nextDue.isPresent()) {
      values.put(":next", AttributeValue.fromS(nextDue.get().toString()));
      values.put(":key", AttributeValue.fromS(ConnectionItems.dueKey(nextDue.get(), ref)));
      update = "SET #due = :next, #gsk = :key, #v = #v + :one, #wid = :wid";
    } else {
      update = "SET #v = #v + :one, #wid = :wid REMOVE #due, #gpk, #gsk";
    }
    try {
      UpdateItemResponse response =
          dynamo.updateItem(
              b ->
                  b.tableName(tableName)
                      .key(ConnectionItems.key(ref))
                      .updateExpression(update)
                      .conditionExpression(
                          "attribute_exists(#gpk) AND #due = :seen AND #schedule = :schedule")
                      .expressionAttributeNames(names)
                      .expressionAttributeValues(values)
                      .returnValues(ReturnValue.ALL_NEW));
      Connection c = ConnectionItems.fromItem(response.attributes());
      if (!c.ref().equals(ref)) {
        throw new IllegalStateException("stored connection " + c.ref() + " found under key " + ref);
      }
      return Optional.of(c);
    } catch (ConditionalCheckFailedException e) {
      if (WriteIds.itemCarries(table, key(ref), claimId)) {
        // Our claim, applied by an attempt whose answer was lost: this tick queues it.
        return find(ref);
      }
      return Optional.empty();
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
    Map<String, AttributeValue> auditItem = auditItem(audit);
    try {
      enhanced.transactWriteItems(
          TransactWriteItemsEnhancedRequest.builder()
              .addDeleteItem(
                  table,
                  TransactDeleteItemEnhancedRequest.builder()
                      .key(key(ref))
                      .conditionExpression(atVersion(expectedVersion))
                      .build())
              .addPutItem(table, auditPut(auditItem))
              .build());
    } catch (TransactionCanceledException e) {
      if (exists(auditItem)) {
        // Applied by an attempt whose answer was lost; see write.
        return;
      }
      throw conflictOrMissing(ref, expectedVersion);
    }
  }

  /** The audit trail of one connection of this tenant, oldest first (kept after deletion). */
  public List<AuditEntry> auditTrail(ConnectionRef ref) {
    List<AuditEntry> result = new ArrayList<>();
    table
        .query(
            QueryEnhancedRequest.builder()
                .queryConditional(
                    QueryConditional.sortBeginsWith(
                        TableDocuments.key(
                            TableKeys.tenantPk(ref.tenantId()),
                            TableKeys.auditPrefix(ref.connectionId()))))
                .consistentRead(true)
                .build())
        .items()
        .forEach(d -> result.add(ConnectionItems.auditFromItem(d.toMap())));
    // Two changes in one millisecond sort by the version they produced.
    result.sort(Comparator.comparing(AuditEntry::at).thenComparingLong(AuditEntry::version));
    return result;
  }

  /**
   * The connection item and its audit entry in one transaction.
   *
   * <p>The audit entry's key is unique to this call, and a transaction is all or nothing, so the
   * entry being there proves this very write was applied. That settles the case where the SDK
   * retried a transaction whose first attempt was applied but whose answer was lost (a dropped
   * connection, an attempt timeout): the retry is cancelled by the conditions the first attempt
   * moved on (the connection exists now, or is at the next version), which answered the user 409
   * "already exists" or "changed meanwhile" for a create or change that had succeeded, exactly
   * once. (DynamoDB's idempotency token covers such a retry for 10 minutes; the emulators ignore
   * it, and this check does not depend on it.)
   */
  private void write(Map<String, AttributeValue> item, Expression condition, AuditEntry audit) {
    Map<String, AttributeValue> auditItem = auditItem(audit);
    try {
      enhanced.transactWriteItems(
          TransactWriteItemsEnhancedRequest.builder()
              .addPutItem(
                  table,
                  TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                      .item(TableDocuments.of(item))
                      .conditionExpression(condition)
                      .build())
              .addPutItem(table, auditPut(auditItem))
              .build());
    } catch (TransactionCanceledException e) {
      if (exists(auditItem)) {
        return;
      }
      throw e;
    }
  }

  private static Map<String, AttributeValue> auditItem(AuditEntry audit) {
    return ConnectionItems.toItem(audit, UUID.randomUUID().toString().substring(0, 8));
  }

  private static TransactPutItemEnhancedRequest<EnhancedDocument> auditPut(
      Map<String, AttributeValue> auditItem) {
    return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
        .item(TableDocuments.of(auditItem))
        .conditionExpression(IS_NEW)
        .build();
  }

  /** Whether the item with the key of {@code item} is stored (a consistent read). */
  private boolean exists(Map<String, AttributeValue> item) {
    return table.getItem(
            GetItemEnhancedRequest.builder()
                .key(TableDocuments.key(item.get(TableKeys.PK).s(), item.get(TableKeys.SK).s()))
                .consistentRead(true)
                .build())
        != null;
  }

  private static Expression atVersion(long expectedVersion) {
    return Expression.builder()
        .expression("#v = :expected")
        .putExpressionName("#v", ConnectionItems.VERSION)
        .putExpressionValue(":expected", n(expectedVersion))
        .build();
  }

  private static Key key(ConnectionRef ref) {
    return TableDocuments.key(
        TableKeys.tenantPk(ref.tenantId()), TableKeys.connectionSk(ref.connectionId()));
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
