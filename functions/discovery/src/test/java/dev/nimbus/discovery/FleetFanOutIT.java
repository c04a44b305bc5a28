package dev.nimbus.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.ConnectionDirectory;
import dev.nimbus.connections.ConnectionDraft;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import dev.nimbus.model.SemanticType;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.aws.AwsCallCounter;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.lambda.LambdaHarness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fleet fan-out on the AWS emulator (issue 17, point 1): 60 connections of three tenants on two
 * simulated clusters, each connection with its own token. One tick through the real schedule
 * function queues every due connection exactly once with one query and one conditional write per
 * connection (counted on the SDK's requests, not timed); a second tick queues nothing; runs of two
 * connections of the same cluster keep separate CIs; a tick that fails half-way or runs out of
 * budget loses no connection.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetFanOutIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int CONNECTIONS = 60;
  private static final String SCHEDULE = "rate(15 minutes)";

  private final List<PveSimulator> sims = new ArrayList<>();
  private final Map<ConnectionRef, PveSimulator> simOf = new LinkedHashMap<>();
  private AwsTestEnvironment aws;
  private ConnectionService connections;
  private ConnectionDirectory directory;
  private DynamoDbCiRepository cis;
  private SqsClient sqs;
  private String queueUrl;
  private Instant created;

  @BeforeAll
  void fleet(AwsTestEnvironment aws) {
    this.aws = aws;
    // Two small clusters of different sizes, so a CI count that leaked between connections
    // would show.
    sims.add(start(3, 1701));
    sims.add(start(5, 1702));
    sqs = aws.clients().sqs();
    queueUrl = sqs.createQueue(b -> b.queueName("fleet-" + aws.tableName())).queueUrl();
    connections =
        ConnectionService.create(
            aws.clients(),
            new ConnectionsConfig(aws.tableName(), aws.keyAlias()),
            Clock.systemUTC());
    directory = new ConnectionDirectory(aws.clients().dynamoDb(), aws.tableName());
    cis =
        new DynamoDbCiRepository(
            aws.clients().dynamoDb(), aws.tableName(), CmdbSettings.defaults());
    created = Instant.now();
    for (int i = 0; i < CONNECTIONS; i++) {
      PveSimulator sim = sims.get(i % sims.size());
      ConnectionRef ref = new ConnectionRef("tenant-" + (i % 3), String.format("c%03d", i));
      ApiToken token = sim.createToken("fleet@pve", "c" + i, Roles.PVE_AUDITOR, true);
      connections.create(
          ref.tenantId(),
          new ConnectionDraft(
              ref.connectionId(),
              new ConnectionSettings(
                  "cluster " + i,
                  new Endpoint("127.0.0.1", sim.port(), Optional.empty()),
                  Optional.empty(),
                  TlsTrust.pinned(Map.of(sim.entryNode(), sim.fingerprint(sim.entryNode()))),
                  token.fullId(),
                  new DiscoveryScope.Everything(),
                  SCHEDULE),
              Secret.of(token.secret()),
              Map.of()),
          "test@fleet");
      simOf.put(ref, sim);
    }
  }

  private static PveSimulator start(int guests, long seed) {
    return PveSimulator.start(
        SimulatorConfig.scale(1, guests, seed)
            .withVersion(PveVersion.V9_1)
            .withAuthFailureDelay(Duration.ZERO));
  }

  @AfterAll
  void stop() {
    sims.forEach(PveSimulator::close);
  }

  private LambdaHarness harness(String function) {
    return LambdaHarness.forApplication(DiscoveryApplication.class)
        .function(function)
        .property("TABLE_NAME", aws.tableName())
        .property("TOKEN_KEY_ID", aws.keyAlias())
        .property("DISCOVERY_QUEUE_URL", queueUrl)
        .awsEmulator(aws.endpoint(), aws.region())
        .property("logging.level.root", "WARN")
        .start();
  }

  private static final String TICK_EVENT =
      "{\"version\":\"0\",\"id\":\"fleet-tick\",\"detail-type\":\"Scheduled Event\","
          + "\"source\":\"aws.scheduler\",\"account\":\"123456789012\","
          + "\"time\":\"2026-11-30T12:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],"
          + "\"detail\":{}}";

  /** Every message on the queue, received and deleted: what a run would get. */
  private List<Message> drain() {
    List<Message> all = new ArrayList<>();
    int empty = 0;
    while (empty < 2) {
      List<Message> got =
          sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
              .messages();
      if (got.isEmpty()) {
        empty++;
        continue;
      }
      empty = 0;
      all.addAll(got);
      got.forEach(
          m -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
    }
    return all;
  }

  private static List<ConnectionRef> refs(List<Message> messages) {
    return messages.stream().map(m -> DiscoveryScheduler.parse(m.body()).ref()).toList();
  }

  private final Map<ConnectionRef, Message> firstQueued = new HashMap<>();

  @Test
  @Order(1)
  void oneTickQueuesEveryDueConnectionOnceWithOneQueryAndOneClaimEach() {
    JsonNode tick;
    AwsCallCounter.Counts calls;
    try (LambdaHarness schedule = harness("scheduleDiscovery")) {
      AwsCallCounter.Counts before = AwsCallCounter.snapshot();
      tick = JSON.readTree(schedule.invoke(TICK_EVENT));
      calls = AwsCallCounter.snapshot().minus(before);
    }
    assertThat(tick.get("due").asInt()).isEqualTo(CONNECTIONS);
    assertThat(tick.get("queued").asInt()).isEqualTo(CONNECTIONS);
    assertThat(tick.get("deferred").asInt()).isZero();

    List<Message> queued = drain();
    assertThat(refs(queued)).hasSize(CONNECTIONS).doesNotHaveDuplicates();
    assertThat(Set.copyOf(refs(queued))).isEqualTo(simOf.keySet());
    queued.forEach(m -> firstQueued.put(DiscoveryScheduler.parse(m.body()).ref(), m));

    // O(due): one Query page (60 items of about 1.5 KB), one conditional UpdateItem per due
    // connection, nothing else: no Scan, no GetItem, no per-connection read; ten per send.
    assertThat(calls.of("DynamoDb.UpdateItem")).isEqualTo(CONNECTIONS);
    assertThat(calls.of("DynamoDb.Query")).isBetween(1L, 2L);
    assertThat(calls.service("DynamoDb")).isLessThanOrEqualTo(CONNECTIONS + 2L);
    assertThat(calls.of("Sqs.SendMessageBatch")).isEqualTo(CONNECTIONS / 10);
    assertThat(calls.service("Sqs")).isEqualTo(CONNECTIONS / 10);
    assertThat(calls.service("Kms")).as("a tick never opens a secret").isZero();
  }

  @Test
  @Order(2)
  void aSecondTickRightAfterQueuesNothingAndCostsOneQuery() {
    JsonNode tick;
    AwsCallCounter.Counts calls;
    try (LambdaHarness schedule = harness("scheduleDiscovery")) {
      AwsCallCounter.Counts before = AwsCallCounter.snapshot();
      tick = JSON.readTree(schedule.invoke(TICK_EVENT));
      calls = AwsCallCounter.snapshot().minus(before);
    }
    assertThat(tick.get("due").asInt()).isZero();
    assertThat(tick.get("queued").asInt()).isZero();
    assertThat(drain()).isEmpty();
    assertThat(calls.byOperation()).containsOnlyKeys("DynamoDb.Query");
    assertThat(calls.of("DynamoDb.Query")).isEqualTo(1);
  }

  @Test
  @Order(3)
  void runsOfConnectionsOfTheSameClusterKeepSeparateCis() {
    // c000 and c002 share the 3-guest cluster, c001 is on the 5-guest one.
    List<ConnectionRef> picked =
        List.of(ref(0), ref(2), ref(1)).stream().filter(firstQueued::containsKey).toList();
    assertThat(picked).hasSize(3);
    try (LambdaHarness run = harness("runDiscovery")) {
      for (ConnectionRef r : picked) {
        Message m = firstQueued.get(r);
        String event = sqsEvent(m.messageId(), m.body());
        JsonNode answer = JSON.readTree(run.invoke(event));
        assertThat(answer.get("batchItemFailures")).as("run of %s", r).isEmpty();
      }
    }
    Map<ConnectionRef, List<StoredCi>> stored = new LinkedHashMap<>();
    picked.forEach(r -> stored.put(r, cis.allOfConnection(r)));
    stored.forEach(
        (r, list) -> {
          assertThat(list).isNotEmpty();
          assertThat(list)
              .as("every CI of %s carries its own connection", r)
              .allSatisfy(ci -> assertThat(ci.item().connection()).isEqualTo(r));
          PveSimulator sim = simOf.get(r);
          assertThat(count(list, SemanticType.COMPUTE)).isEqualTo(sim.cluster().guests().size());
          assertThat(count(list, SemanticType.HOST)).isEqualTo(sim.cluster().nodes().size());
        });
    // The same cluster seen through two connections: the same native keys, different CI ids.
    assertThat(nativeKeys(stored.get(ref(0)))).isEqualTo(nativeKeys(stored.get(ref(2))));
    assertThat(ids(stored.get(ref(0)))).doesNotContainAnyElementsOf(ids(stored.get(ref(2))));
    assertThat(nativeKeys(stored.get(ref(1)))).isNotEqualTo(nativeKeys(stored.get(ref(0))));
    // Connections that did not run have no CI.
    assertThat(cis.allOfConnection(ref(3))).isEmpty();
  }

  @Test
  @Order(4)
  void aTickWhoseSendFailsHalfWayLosesNoConnection() {
    // Every claim moved the due times 15 minutes on; 16 minutes later all 60 are due again.
    Instant later = created.plus(Duration.ofMinutes(16));
    AtomicInteger sends = new AtomicInteger();
    SqsClient failingThird =
        new DelegatingSqs(sqs) {
          @Override
          public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
            if (sends.incrementAndGet() == 3) {
              throw SdkClientException.create("connection reset (injected)");
            }
            return super.sendMessageBatch(request);
          }
        };
    assertThatThrownBy(() -> scheduler(failingThird, later, Duration.ofSeconds(40)).tick())
        .hasMessageContaining("injected");
    List<ConnectionRef> first = refs(drain());
    assertThat(first).hasSize(20).doesNotHaveDuplicates();

    // The next tick, a minute later, queues exactly the 40 the failed tick did not.
    var next = scheduler(sqs, later.plusSeconds(60), Duration.ofSeconds(40)).tick();
    List<ConnectionRef> second = refs(drain());
    assertThat(next.queued()).isEqualTo(40);
    assertThat(second).hasSize(40).doesNotHaveDuplicates().doesNotContainAnyElementsOf(first);
    assertThat(union(first, second)).isEqualTo(simOf.keySet());
  }

  @Test
  @Order(5)
  void entriesSqsRefusesInABatchAreReleasedAndQueuedByTheNextTick() {
    Instant later = created.plus(Duration.ofMinutes(34));
    SqsClient refusesOdd =
        new DelegatingSqs(sqs) {
          @Override
          public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
            // SQS answers 200 with some entries failed: send the even ones, refuse the odd.
            List<SendMessageBatchRequestEntry> even = new ArrayList<>();
            List<BatchResultErrorEntry> failed = new ArrayList<>();
            for (SendMessageBatchRequestEntry e : request.entries()) {
              if (Integer.parseInt(e.id()) % 2 == 0) {
                even.add(e);
              } else {
                failed.add(
                    BatchResultErrorEntry.builder()
                        .id(e.id())
                        .code("InternalError")
                        .message("injected")
                        .senderFault(false)
                        .build());
              }
            }
            List<SendMessageBatchResultEntry> ok =
                super.sendMessageBatch(request.toBuilder().entries(even).build()).successful();
            return SendMessageBatchResponse.builder().successful(ok).failed(failed).build();
          }
        };
    assertThatThrownBy(() -> scheduler(refusesOdd, later, Duration.ofSeconds(40)).tick())
        .hasMessageContaining("5 discovery messages could not be queued");
    List<ConnectionRef> first = refs(drain());
    assertThat(first).hasSize(5);

    var next = scheduler(sqs, later.plusSeconds(60), Duration.ofSeconds(40)).tick();
    List<ConnectionRef> second = refs(drain());
    assertThat(next.queued()).isEqualTo(CONNECTIONS - 5);
    assertThat(union(first, second)).isEqualTo(simOf.keySet());
    assertThat(second).doesNotHaveDuplicates().doesNotContainAnyElementsOf(first);
  }

  @Test
  @Order(6)
  void aTickOutOfBudgetLeavesTheRestDueForTheNextTick() {
    Instant later = created.plus(Duration.ofMinutes(52));
    // A clock that moves one second per reading: the 5 s budget runs out after a few batches.
    Clock slow = new SteppingClock(later, Duration.ofSeconds(1));
    var partial =
        new DiscoveryScheduler(directory, connections, sqs, queueUrl, slow, Duration.ofSeconds(5))
            .tick();
    List<ConnectionRef> first = refs(drain());
    assertThat(partial.deferred()).isPositive();
    assertThat(partial.queued()).isPositive();
    assertThat(partial.queued() + partial.deferred()).isEqualTo(CONNECTIONS);
    assertThat(first).hasSize(partial.queued());

    var next = scheduler(sqs, later.plusSeconds(60), Duration.ofSeconds(40)).tick();
    List<ConnectionRef> second = refs(drain());
    assertThat(next.due()).isEqualTo(partial.deferred());
    assertThat(second).hasSize(partial.deferred()).doesNotContainAnyElementsOf(first);
    assertThat(union(first, second)).isEqualTo(simOf.keySet());
  }

  private DiscoveryScheduler scheduler(SqsClient client, Instant at, Duration budget) {
    return new DiscoveryScheduler(
        directory, connections, client, queueUrl, Clock.fixed(at, ZoneOffset.UTC), budget);
  }

  private ConnectionRef ref(int i) {
    return new ConnectionRef("tenant-" + (i % 3), String.format("c%03d", i));
  }

  private static Set<ConnectionRef> union(List<ConnectionRef> a, List<ConnectionRef> b) {
    Set<ConnectionRef> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static long count(List<StoredCi> list, SemanticType type) {
    return list.stream().filter(ci -> ci.item().semanticType() == type).count();
  }

  private static Set<String> nativeKeys(List<StoredCi> list) {
    return list.stream()
        .map(ci -> ci.item().nativeKey())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> ids(List<StoredCi> list) {
    return list.stream().map(ci -> ci.item().id().toString()).collect(Collectors.toSet());
  }

  private static String sqsEvent(String messageId, String body) {
    String fixture = new String(LambdaHarness.fixture("events/sqs-discovery.json"));
    return fixture
        .replace("MESSAGE_ID", messageId)
        .replace("\"BODY\"", JSON.writeValueAsString(body));
  }

  /** An SQS client that hands every call to another; tests override what they fail. */
  private static class DelegatingSqs implements SqsClient {
    private final SqsClient delegate;

    DelegatingSqs(SqsClient delegate) {
      this.delegate = delegate;
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
      return delegate.sendMessageBatch(request);
    }

    @Override
    public String serviceName() {
      return delegate.serviceName();
    }

    @Override
    public void close() {}
  }

  /** A clock that moves on by a fixed step every time it is read. */
  private static final class SteppingClock extends Clock {
    private final Duration step;
    private Instant now;

    SteppingClock(Instant start, Duration step) {
      this.now = start;
      this.step = step;
    }

    @Override
    public synchronized Instant instant() {
      Instant at = now;
      now = now.plus(step);
      return at;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
