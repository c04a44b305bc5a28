package dev.nimbus.deployments.dynamodb;

import dev.nimbus.cmdb.CmdbKeys;
import dev.nimbus.deployments.DeploymentRun;
import dev.nimbus.deployments.DeploymentRunStore;
import dev.nimbus.deployments.Operation;
import dev.nimbus.deployments.ResourceStep;
import dev.nimbus.deployments.RunStatus;
import dev.nimbus.model.ConnectionRef;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deployment runs and CI links on the one table, through the Enhanced Client, in the connection's
 * partition beside its CIs and discovery runs (see the CMDB's key scheme):
 *
 * <table>
 *   <tr><th>itemType</th><th>PK</th><th>SK</th></tr>
 *   <tr><td>DEPLOY_RUN</td><td>{@code CONN#t#c}</td><td>{@code DEPLOY#<runId>}</td></tr>
 *   <tr><td>CI_LINK</td><td>{@code CONN#t#c}</td><td>{@code CILINK#<nativeKey>}</td></tr>
 * </table>
 *
 * The prefixes differ from the CMDB's ({@code CI#}, {@code RUN#}, {@code STATE}), so its queries
 * never see these items, and the ci-events stream filter (itemType CI) lets none through.
 *
 * <p>Costs: saving a run is one PutItem (one at the start, one per finished resource step, one at
 * the end); a run by id is one consistent GetItem; the newest run of a program one Query, newest
 * first, stopping at the first match; the links of a stack one Query of the connection's links (a
 * handful) and one PutItem or DeleteItem per link that changed.
 */
public final class DynamoDbDeploymentRunStore implements DeploymentRunStore {
  public static final String TYPE_RUN = "DEPLOY_RUN";
  public static final String TYPE_LINK = "CI_LINK";
  public static final String RUN_PREFIX = "DEPLOY#";
  public static final String LINK_PREFIX = "CILINK#";

  /** Longest error text kept in a record (CLI output can be long; the item limit is 400 KB). */
  public static final int MAX_ERROR_CHARS = 4_000;

  public static final int MAX_ERRORS = 50;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
  private static final TypeReference<List<ResourceStep>> STEPS = new TypeReference<>() {};

  private final DynamoDbTable<DeployRunItem> runs;
  private final DynamoDbTable<CiLinkItem> links;
  private final Duration retention;
  private final Clock clock;
  private final AtomicLong writes = new AtomicLong();

  /**
   * A store on {@code tableName} through {@code dynamoDb} (built by {@code AwsClients}); run
   * records expire {@code retention} after they started.
   */
  public DynamoDbDeploymentRunStore(
      DynamoDbClient dynamoDb, String tableName, Duration retention, Clock clock) {
    DynamoDbEnhancedClient enhanced =
        DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
    this.runs = enhanced.table(tableName, TableSchema.fromImmutableClass(DeployRunItem.class));
    this.links = enhanced.table(tableName, TableSchema.fromImmutableClass(CiLinkItem.class));
    this.retention = Objects.requireNonNull(retention, "retention");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void save(DeploymentRun run) {
    runs.putItem(toItem(run));
    writes.incrementAndGet();
  }

  @Override
  public Optional<DeploymentRun> find(ConnectionRef connection, String runId) {
    DeployRunItem item =
        runs.getItem(
            GetItemEnhancedRequest.builder()
                .key(key(connection, RUN_PREFIX + runId))
                .consistentRead(true)
                .build());
    return Optional.ofNullable(item).map(DynamoDbDeploymentRunStore::fromItem);
  }

  @Override
  public Optional<DeploymentRun> latest(ConnectionRef connection, String program) {
    // Newest first; DynamoDB filters after reading, so pages are kept small and the iteration stops
    // at the first run of the program.
    return runs
        .query(
            QueryEnhancedRequest.builder()
                .queryConditional(prefix(connection, RUN_PREFIX))
                .scanIndexForward(false)
                .consistentRead(true)
                .limit(25)
                .filterExpression(
                    Expression.builder()
                        .expression("#program = :program")
                        .putExpressionName("#program", "program")
                        .putExpressionValue(":program", AttributeValue.fromS(program))
                        .build())
                .build())
        .items()
        .stream()
        .findFirst()
        .map(DynamoDbDeploymentRunStore::fromItem);
  }

  @Override
  public List<DeploymentRun> runs(ConnectionRef connection) {
    List<DeploymentRun> out = new ArrayList<>();
    runs.query(
            QueryEnhancedRequest.builder()
                .queryConditional(prefix(connection, RUN_PREFIX))
                .scanIndexForward(false)
                .consistentRead(true)
                .build())
        .items()
        .forEach(i -> out.add(fromItem(i)));
    return out;
  }

  @Override
  public void replaceLinks(
      ConnectionRef connection, String stack, Map<String, String> nativeKeyToUrn) {
    Map<String, CiLinkItem> existing = new TreeMap<>();
    linkItems(connection).forEach(i -> existing.put(i.nativeKey(), i));
    for (CiLinkItem old : existing.values()) {
      if (old.stack().equals(stack) && !nativeKeyToUrn.containsKey(old.nativeKey())) {
        links.deleteItem(key(connection, LINK_PREFIX + old.nativeKey()));
        writes.incrementAndGet();
      }
    }
    var now = clock.instant();
    for (var e : nativeKeyToUrn.entrySet()) {
      CiLinkItem old = existing.get(e.getKey());
      if (old != null && old.stack().equals(stack) && old.urn().equals(e.getValue())) {
        continue;
      }
      // A CI is managed by one stack: the stack that created or updated it last holds the link.
      links.putItem(
          CiLinkItem.builder()
              .pk(CmdbKeys.connectionPk(connection))
              .sk(LINK_PREFIX + e.getKey())
              .itemType(TYPE_LINK)
              .tenantId(connection.tenantId())
              .connectionId(connection.connectionId())
              .nativeKey(e.getKey())
              .stack(stack)
              .urn(e.getValue())
              .linkedAt(now)
              .build());
      writes.incrementAndGet();
    }
  }

  @Override
  public Map<String, String> links(ConnectionRef connection, String stack) {
    Map<String, String> out = new TreeMap<>();
    for (CiLinkItem i : linkItems(connection)) {
      if (i.stack().equals(stack)) {
        out.put(i.nativeKey(), i.urn());
      }
    }
    return out;
  }

  @Override
  public Map<String, String> linkedStacks(ConnectionRef connection) {
    Map<String, String> out = new TreeMap<>();
    linkItems(connection).forEach(i -> out.put(i.nativeKey(), i.stack()));
    return out;
  }

  /** The stack and URN that manage a CI, if any (what a CI view shows as "managed by"). */
  public Optional<Map.Entry<String, String>> linkOf(ConnectionRef connection, String nativeKey) {
    CiLinkItem item =
        links.getItem(
            GetItemEnhancedRequest.builder()
                .key(key(connection, LINK_PREFIX + nativeKey))
                .consistentRead(true)
                .build());
    return Optional.ofNullable(item).map(i -> Map.entry(i.stack(), i.urn()));
  }

  @Override
  public long writes() {
    return writes.get();
  }

  private List<CiLinkItem> linkItems(ConnectionRef connection) {
    List<CiLinkItem> out = new ArrayList<>();
    links
        .query(
            QueryEnhancedRequest.builder()
                .queryConditional(prefix(connection, LINK_PREFIX))
                .consistentRead(true)
                .build())
        .items()
        .forEach(out::add);
    return out;
  }

  private static Key key(ConnectionRef connection, String sk) {
    return Key.builder().partitionValue(CmdbKeys.connectionPk(connection)).sortValue(sk).build();
  }

  private static QueryConditional prefix(ConnectionRef connection, String skPrefix) {
    return QueryConditional.sortBeginsWith(key(connection, skPrefix));
  }

  DeployRunItem toItem(DeploymentRun run) {
    return DeployRunItem.builder()
        .pk(CmdbKeys.connectionPk(run.connection()))
        .sk(RUN_PREFIX + run.runId())
        .itemType(TYPE_RUN)
        .tenantId(run.connection().tenantId())
        .connectionId(run.connection().connectionId())
        .runId(run.runId())
        .program(run.program())
        .stack(run.stack())
        .operation(run.operation().name())
        .status(run.status().name())
        .startedAt(run.startedAt())
        .finishedAt(run.finishedAt())
        .inputs(JSON.writeValueAsString(run.inputs()))
        .inputsHash(run.inputsHash())
        .steps(JSON.writeValueAsString(run.steps()))
        .summary(run.summary())
        .errors(capped(run.errors()))
        .linkedCis(run.linkedCis())
        .expiresAt(run.startedAt().plus(retention).getEpochSecond())
        .build();
  }

  static DeploymentRun fromItem(DeployRunItem i) {
    try {
      return new DeploymentRun(
          i.runId(),
          new ConnectionRef(i.tenantId(), i.connectionId()),
          i.program(),
          i.stack(),
          Operation.valueOf(i.operation()),
          RunStatus.valueOf(i.status()),
          i.startedAt(),
          i.finishedAt(),
          i.inputs() == null ? Map.of() : JSON.readValue(i.inputs(), OBJECT),
          i.inputsHash(),
          i.steps() == null ? List.of() : JSON.readValue(i.steps(), STEPS),
          i.summary(),
          i.errors(),
          i.linkedCis());
    } catch (JacksonException e) {
      throw new IllegalStateException("stored run " + i.runId() + " is not readable", e);
    }
  }

  /** At most {@link #MAX_ERRORS} errors of at most {@link #MAX_ERROR_CHARS} characters. */
  static List<String> capped(List<String> errors) {
    List<String> out = new ArrayList<>();
    for (String e : errors) {
      if (out.size() == MAX_ERRORS) {
        out.add("... " + (errors.size() - MAX_ERRORS) + " more errors");
        break;
      }
      out.add(
          e.length() <= MAX_ERROR_CHARS
              ? e
              : e.substring(0, MAX_ERROR_CHARS)
                  + "... ("
                  + (e.length() - MAX_ERROR_CHARS)
                  + " more characters)");
    }
    return out;
  }
}
