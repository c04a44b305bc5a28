package dev.nimbus.cmdb.dynamodb;

import dev.nimbus.aws.TableKeys;
import dev.nimbus.aws.WriteIds;
import dev.nimbus.cmdb.CiConflictException;
import dev.nimbus.cmdb.CiHistoryEntry;
import dev.nimbus.cmdb.CiRepository;
import dev.nimbus.cmdb.CiWrite;
import dev.nimbus.cmdb.CmdbKeys;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.DiscoveryState;
import dev.nimbus.cmdb.Page;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.model.CiId;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The CMDB on the one DynamoDB table, through the Enhanced Client. CI and discovery-state items
 * carry a {@code @DynamoDbVersionAttribute}, so every put is conditional on the version read
 * (optimistic locking). The SDK refuses batch writes of versioned items, so a CI and its history
 * entry go in one {@code TransactWriteItems} (up to 50 CIs, 100 items, per call), the history put
 * conditional on {@code attribute_not_exists(PK)} so no state id is recorded twice.
 *
 * <p>Query costs: by connection, a Query on the connection's partition; by type and by compartment,
 * a Query on GSI1 / GSI2 (sparse: deleted CIs carry no GSI keys); by relationship, a Query on the
 * connection's partition filtered on the {@code relationshipIndex} string set, so it reads (and
 * pays for) all of the connection's CIs to return the matching ones. At Proxmox scale (hundreds to
 * a few thousand CIs per cluster) that is a few read units per call and saves an edge item per
 * relationship on every write.
 */
public final class DynamoDbCiRepository implements CiRepository {
  private static final List<String> TABLE_KEYS = List.of(TableKeys.PK, TableKeys.SK);
  private static final List<String> GSI1_KEYS =
      List.of(TableKeys.GSI1PK, TableKeys.GSI1SK, TableKeys.PK, TableKeys.SK);
  private static final List<String> GSI2_KEYS =
      List.of(TableKeys.GSI2PK, TableKeys.GSI2SK, TableKeys.PK, TableKeys.SK);
  private static final Expression HISTORY_IS_NEW =
      Expression.builder().expression("attribute_not_exists(PK)").build();

  /** Items evaluated per request of a filtered query (DynamoDB filters after reading). */
  private static final int FILTERED_READ_LIMIT = 200;

  private final DynamoDbEnhancedClient enhanced;
  private final DynamoDbTable<CiItem> cis;
  private final DynamoDbIndex<CiItem> byType;
  private final DynamoDbIndex<CiItem> byCompartment;
  private final DynamoDbTable<CiHistoryItem> history;
  private final DynamoDbTable<RunItem> runs;
  private final DynamoDbTable<DiscoveryStateItem> states;
  private final Duration runRetention;

  /**
   * A repository on {@code tableName} through {@code dynamoDb} (built by {@code AwsClients}); run
   * records expire after the settings' history retention.
   */
  public DynamoDbCiRepository(DynamoDbClient dynamoDb, String tableName, CmdbSettings settings) {
    Objects.requireNonNull(dynamoDb, "dynamoDb");
    Objects.requireNonNull(tableName, "tableName");
    this.enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
    this.cis = enhanced.table(tableName, ItemMapper.CI_SCHEMA);
    this.byType = cis.index(TableKeys.GSI1);
    this.byCompartment = cis.index(TableKeys.GSI2);
    this.history = enhanced.table(tableName, ItemMapper.HISTORY_SCHEMA);
    this.runs = enhanced.table(tableName, ItemMapper.RUN_SCHEMA);
    this.states = enhanced.table(tableName, ItemMapper.STATE_SCHEMA);
    this.runRetention = settings.historyRetention();
  }

  @Override
  public Optional<StoredCi> find(ConnectionRef connection, String nativeKey) {
    CiItem item =
        cis.getItem(
            GetItemEnhancedRequest.builder()
                .key(key(CmdbKeys.connectionPk(connection), CmdbKeys.ciSk(nativeKey)))
                .consistentRead(true)
                .build());
    return Optional.ofNullable(item).map(ItemMapper::toStoredCi);
  }

  @Override
  public Page<StoredCi> byConnection(ConnectionRef connection, int pageSize, String cursor) {
    QueryEnhancedRequest.Builder request =
        QueryEnhancedRequest.builder().queryConditional(ciPrefix(connection)).consistentRead(true);
    return toStoredCis(
        page(cis::query, request, pageSize, false, cursor, ItemMapper.CI_SCHEMA, TABLE_KEYS),
        connection::equals);
  }

  @Override
  public Page<StoredCi> byTenantAndType(
      String tenantId, SemanticType type, int pageSize, String cursor) {
    QueryEnhancedRequest.Builder request =
        QueryEnhancedRequest.builder()
            .queryConditional(
                QueryConditional.keyEqualTo(
                    Key.builder().partitionValue(CmdbKeys.typePk(tenantId, type)).build()));
    return toStoredCis(
        page(byType::query, request, pageSize, false, cursor, ItemMapper.CI_SCHEMA, GSI1_KEYS),
        owner -> owner.tenantId().equals(tenantId));
  }

  @Override
  public Page<StoredCi> byCompartment(
      ConnectionRef connection, CiId compartment, int pageSize, String cursor) {
    QueryEnhancedRequest.Builder request =
        QueryEnhancedRequest.builder()
            .queryConditional(
                QueryConditional.keyEqualTo(
                    Key.builder()
                        .partitionValue(CmdbKeys.compartmentPk(connection, compartment))
                        .build()));
    return toStoredCis(
        page(
            byCompartment::query,
            request,
            pageSize,
            false,
            cursor,
            ItemMapper.CI_SCHEMA,
            GSI2_KEYS),
        connection::equals);
  }

  @Override
  public Page<StoredCi> byRelationship(
      ConnectionRef connection,
      RelationshipKind kind,
      String targetNativeKey,
      int pageSize,
      String cursor) {
    Expression filter =
        Expression.builder()
            .expression("contains(#index, :edge) AND #status <> :deleted")
            .putExpressionName("#index", "relationshipIndex")
            .putExpressionName("#status", "status")
            .putExpressionValue(":edge", AttributeValue.fromS(CmdbKeys.edge(kind, targetNativeKey)))
            .putExpressionValue(":deleted", AttributeValue.fromS(CiStatus.RESOURCE_DELETED.name()))
            .build();
    QueryEnhancedRequest.Builder request =
        QueryEnhancedRequest.builder()
            .queryConditional(ciPrefix(connection))
            .filterExpression(filter)
            .consistentRead(true);
    return toStoredCis(
        page(cis::query, request, pageSize, true, cursor, ItemMapper.CI_SCHEMA, TABLE_KEYS),
        connection::equals);
  }

  @Override
  public Page<CiHistoryEntry> timeline(
      ConnectionRef connection, CiId ciId, int pageSize, String cursor) {
    QueryEnhancedRequest.Builder request =
        QueryEnhancedRequest.builder()
            .queryConditional(
                QueryConditional.keyEqualTo(
                    Key.builder().partitionValue(CmdbKeys.historyPk(connection, ciId)).build()))
            .scanIndexForward(false)
            .consistentRead(true);
    Page<CiHistoryItem> items =
        page(
            history::query,
            request,
            pageSize,
            false,
            cursor,
            ItemMapper.HISTORY_SCHEMA,
            TABLE_KEYS);
    List<CiHistoryEntry> entries = items.items().stream().map(ItemMapper::toEntry).toList();
    entries.forEach(e -> requireOwner(e.connection(), connection::equals, e.nativeKey()));
    return new Page<>(entries, items.nextCursor());
  }

  @Override
  public void write(List<CiWrite> writes) {
    if (writes.isEmpty()) {
      return;
    }
    if (writes.size() > MAX_WRITES_PER_CALL) {
      throw new IllegalArgumentException(
          "at most " + MAX_WRITES_PER_CALL + " CI writes per call, got " + writes.size());
    }
    String writeId = WriteIds.newWriteId();
    TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder();
    for (CiWrite w : writes) {
      // The version extension turns this into a put conditional on the version read
      // (attribute_not_exists for a new CI) and stores expectedVersion + 1.
      Long expected = w.expectedVersion() == 0 ? null : w.expectedVersion();
      tx.addPutItem(
          cis,
          TransactPutItemEnhancedRequest.builder(CiItem.class)
              .item(ItemMapper.toItem(w.next(), expected, writeId))
              .build());
      tx.addPutItem(
          history,
          TransactPutItemEnhancedRequest.builder(CiHistoryItem.class)
              .item(ItemMapper.toItem(w.history()))
              .conditionExpression(HISTORY_IS_NEW)
              .build());
    }
    try {
      enhanced.transactWriteItems(tx.build());
    } catch (TransactionCanceledException e) {
      if (isConflict(e) && applied(writes.getFirst(), writeId)) {
        // Our transaction, applied by an attempt whose answer was lost (see WriteIds). All or
        // nothing, so one CI carrying our id proves every CI and history entry was stored: done,
        // counted as the changes it made (a conflict would re-decide them as unchanged).
        return;
      }
      if (isConflict(e)) {
        throw new CiConflictException(
            "a concurrent writer changed "
                + conflicting(writes, e)
                + " of "
                + writes.getFirst().next().connection(),
            e);
      }
      throw e;
    }
  }

  /**
   * Whether the stored CI of {@code write} was stored by the transaction {@code writeId}: the check
   * of {@link WriteIds}, read through the typed CI table rather than {@link WriteIds#itemCarries}
   * so the CMDB keeps one mapping of its items.
   */
  private boolean applied(CiWrite write, String writeId) {
    CiItem stored =
        cis.getItem(
            GetItemEnhancedRequest.builder()
                .key(
                    key(
                        CmdbKeys.connectionPk(write.next().connection()),
                        CmdbKeys.ciSk(write.next().nativeKey())))
                .consistentRead(true)
                .build());
    return stored != null && writeId.equals(stored.writeId());
  }

  @Override
  public Optional<DiscoveryState> discoveryState(ConnectionRef connection) {
    DiscoveryStateItem item =
        states.getItem(
            GetItemEnhancedRequest.builder()
                .key(key(CmdbKeys.connectionPk(connection), CmdbKeys.STATE_SK))
                .consistentRead(true)
                .build());
    return Optional.ofNullable(item).map(ItemMapper::toState);
  }

  @Override
  public DiscoveryState saveDiscoveryState(DiscoveryState state, long expectedVersion) {
    try {
      states.putItem(
          PutItemEnhancedRequest.builder(DiscoveryStateItem.class)
              .item(ItemMapper.toItem(state, expectedVersion == 0 ? null : expectedVersion))
              .build());
    } catch (ConditionalCheckFailedException e) {
      throw new CiConflictException(
          "a concurrent run changed the discovery state of " + state.connection(), e);
    }
    return new DiscoveryState(
        state.connection(), state.providerState(), state.capturedAt(), expectedVersion + 1);
  }

  @Override
  public void saveRun(RunRecord run) {
    runs.putItem(ItemMapper.toItem(run, runRetention));
  }

  @Override
  public List<RunRecord> latestRuns(ConnectionRef connection, int n) {
    if (n < 1) {
      return List.of();
    }
    QueryEnhancedRequest request =
        QueryEnhancedRequest.builder()
            .queryConditional(
                QueryConditional.sortBeginsWith(
                    key(CmdbKeys.connectionPk(connection), CmdbKeys.RUN_PREFIX)))
            .scanIndexForward(false)
            .limit(n)
            .build();
    return runs.query(request).iterator().next().items().stream()
        .limit(n)
        .map(ItemMapper::toRun)
        .toList();
  }

  private static Key key(String pk, String sk) {
    return Key.builder().partitionValue(pk).sortValue(sk).build();
  }

  private static QueryConditional ciPrefix(ConnectionRef connection) {
    return QueryConditional.sortBeginsWith(
        key(CmdbKeys.connectionPk(connection), CmdbKeys.CI_PREFIX));
  }

  private static Page<StoredCi> toStoredCis(Page<CiItem> items, Predicate<ConnectionRef> owner) {
    List<StoredCi> cis = items.items().stream().map(ItemMapper::toStoredCi).toList();
    cis.forEach(ci -> requireOwner(ci.connection(), owner, ci.nativeKey()));
    return new Page<>(cis, items.nextCursor());
  }

  /**
   * Defence in depth: every read is scoped by its key to the tenant (and connection) asked for, and
   * the ids stored in each item must agree with that, or the read fails rather than answer with
   * another tenant's data.
   */
  private static void requireOwner(
      ConnectionRef stored, Predicate<ConnectionRef> owner, String nativeKey) {
    if (!owner.test(stored)) {
      throw new IllegalStateException(
          "item " + nativeKey + " of " + stored + " was read under another tenant's key");
    }
  }

  /**
   * One page of {@code pageSize} items starting after the cursor, read through the SDK's paginator:
   * it fetches DynamoDB's pages lazily as the items are consumed, so this stops reading as soon as
   * the page is full and one more item shows there is a next page. Each request asks for one item
   * more than the page holds, so an unfiltered page costs one request; a filtered query (DynamoDB
   * filters after reading) evaluates at least {@value #FILTERED_READ_LIMIT} items per request. The
   * cursor names the last item returned, so a page may end anywhere.
   */
  private static <T> Page<T> page(
      Function<
              QueryEnhancedRequest,
              SdkIterable<software.amazon.awssdk.enhanced.dynamodb.model.Page<T>>>
          query,
      QueryEnhancedRequest.Builder request,
      int pageSize,
      boolean filtered,
      String cursor,
      TableSchema<T> schema,
      List<String> keyNames) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be at least 1");
    }
    int perRequest = filtered ? Math.max(pageSize + 1, FILTERED_READ_LIMIT) : pageSize + 1;
    Iterator<T> items =
        query
            .apply(
                request
                    .exclusiveStartKey(Cursors.decode(cursor, keyNames))
                    .limit(perRequest)
                    .build())
            .stream()
            .flatMap(p -> p.items().stream())
            .iterator();
    List<T> out = new ArrayList<>(pageSize);
    while (out.size() < pageSize && items.hasNext()) {
      out.add(items.next());
    }
    boolean more = items.hasNext();
    return new Page<>(out, more ? Cursors.encode(schema.itemToMap(out.getLast(), keyNames)) : null);
  }

  private static boolean isConflict(TransactionCanceledException e) {
    if (!e.hasCancellationReasons()) {
      return false;
    }
    for (CancellationReason r : e.cancellationReasons()) {
      if ("ConditionalCheckFailed".equals(r.code()) || "TransactionConflict".equals(r.code())) {
        return true;
      }
    }
    return false;
  }

  /** The native keys whose CI or history put was cancelled by a condition or a conflict. */
  private static List<String> conflicting(List<CiWrite> writes, TransactionCanceledException e) {
    List<String> keys = new ArrayList<>();
    List<CancellationReason> reasons = e.cancellationReasons();
    for (int i = 0; i < reasons.size(); i++) {
      String code = reasons.get(i).code();
      if (("ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code))
          && i / 2 < writes.size()) {
        String key = writes.get(i / 2).next().nativeKey();
        if (!keys.contains(key)) {
          keys.add(key);
        }
      }
    }
    return keys;
  }
}
