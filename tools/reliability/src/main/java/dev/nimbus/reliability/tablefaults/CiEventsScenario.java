package dev.nimbus.reliability.tablefaults;

import dev.nimbus.aws.StreamTail;
import dev.nimbus.cmdb.CiHistoryEntry;
import dev.nimbus.cmdb.CmdbService;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.Page;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.KmsEnvelopeTokenCipher;
import dev.nimbus.events.CiEventsApplication;
import dev.nimbus.model.Attributes;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.Secret;
import dev.nimbus.model.SemanticType;
import dev.nimbus.testing.aws.FaultKind;
import dev.nimbus.testing.aws.FaultPlan;
import dev.nimbus.testing.lambda.LambdaHarness;
import dev.nimbus.testing.lambda.LambdaStreamEvents;
import dev.nimbus.webhooks.UrlPolicy;
import dev.nimbus.webhooks.WebhookSubscription;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stream function ({@code ciEvents}) through the real handler with its calls (EventBridge
 * PutEvents, the tenant's webhooks read from the table, SQS SendMessageBatch to the delivery queue)
 * going through the fault proxy. A tenant with one webhook gets CIs created, updated and deleted by
 * the real CMDB (straight to the emulator); the table's stream records are handed to the handler in
 * batches of 5, and a batch with failed records is handed again from its first failed record, as
 * Lambda's event source mapping does with {@code ReportBatchItemFailures}.
 *
 * <p>Then every change the CMDB recorded (a history item: CI id and state id) must have at least
 * one event on the bus and one message on the delivery queue, and all copies of one change must
 * carry the same event id: at least once, with a stable id, never lost.
 */
public final class CiEventsScenario implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int BATCH = 5;
  private static final int MAX_DELIVERIES = 12;
  private static final AtomicInteger TENANTS = new AtomicInteger();

  private final FaultBench bench;
  private final String busName;
  private final String observed;
  private final String deliveries;
  private final LambdaHarness ciEvents;

  public CiEventsScenario(FaultBench bench) {
    this.bench = bench;
    busName = bench.tableName() + "-bus";
    bench.direct().eventBridge().createEventBus(b -> b.name(busName));
    deliveries = bench.queue("deliveries");
    observed = bench.queue("observed");
    String arn =
        bench
            .direct()
            .sqs()
            .getQueueAttributes(
                b -> b.queueUrl(observed).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    bench
        .direct()
        .eventBridge()
        .putRule(
            b ->
                b.name(busName + "-all")
                    .eventBusName(busName)
                    .eventPattern("{\"source\":[\"nimbus.cmdb\"]}"));
    bench
        .direct()
        .eventBridge()
        .putTargets(
            b -> b.rule(busName + "-all").eventBusName(busName).targets(t -> t.id("q").arn(arn)));
    Map<String, String> props =
        Map.ofEntries(
            Map.entry("nimbus.events.table-name", bench.tableName()),
            Map.entry("nimbus.events.event-bus-name", busName),
            Map.entry("nimbus.events.token-key-id", bench.keyAlias()),
            Map.entry("nimbus.events.local-mode", "true"),
            Map.entry("nimbus.events.webhook-delivery-queue-url", deliveries),
            Map.entry("nimbus.events.webhook-deadline", "PT5S"),
            Map.entry("nimbus.events.webhook-backoff", "20ms"),
            Map.entry("NIMBUS_AWS_ATTEMPT_TIMEOUT", FaultBench.ATTEMPT_TIMEOUT.toString()));
    ciEvents =
        LambdaHarness.forApplication(CiEventsApplication.class)
            .function("ciEvents")
            .properties(props)
            .awsEmulator(bench.proxy().endpoint(), bench.backend().region())
            .start();
  }

  /** The faults of one kind, on every call the stream function makes. */
  static FaultPlan plan(FaultKind kind, long seed) {
    double rate = kind == FaultKind.TIMEOUT ? 0.3 : 0.4;
    return FaultPlan.seeded(seed).inject(kind, rate, FaultPlan.any());
  }

  /** One scenario run under {@code kind}, its faults drawn from {@code seed}. */
  public Tally run(FaultKind kind, long seed) {
    bench.resetTable();
    drain(observed);
    drain(deliveries);
    String tenant = "events-" + TENANTS.incrementAndGet();
    ConnectionRef lab = new ConnectionRef(tenant, "lab");
    new WebhookSubscriptionRepository(
            bench.direct().dynamoDb(),
            bench.tableName(),
            new KmsEnvelopeTokenCipher(bench.direct().kms(), bench.keyAlias()),
            UrlPolicy.of(true, List.of()))
        .save(
            new WebhookSubscription(
                tenant,
                "ops",
                URI.create("https://localhost:9/hooks/ops"),
                Set.of(),
                Set.of(),
                true,
                Instant.now()),
            Secret.of("whsec-faults-" + tenant));
    DynamoDbCiRepository cis =
        new DynamoDbCiRepository(
            bench.direct().dynamoDb(), bench.tableName(), CmdbSettings.defaults());
    CmdbService cmdb = new CmdbService(cis, CmdbSettings.defaults(), Clock.systemUTC());
    StreamTail tail =
        new StreamTail(
            bench.direct().dynamoDb(), bench.direct().dynamoDbStreams(), bench.tableName());
    Instant t0 = Instant.now().minusSeconds(3600);
    List<ConfigurationItem> items = guests(lab, 12, 2048);
    cmdb.apply(snapshot(lab, t0, items));
    List<ConfigurationItem> changed = new ArrayList<>(guests(lab, 12, 2048));
    for (int i = 0; i < 4; i++) {
      changed.set(i, guest(lab, i, 4096));
    }
    cmdb.apply(snapshot(lab, t0.plusSeconds(60), changed));
    cmdb.apply(snapshot(lab, t0.plusSeconds(120), changed.subList(0, 10)));

    List<Record> records = tail.poll();
    bench.proxy().resetCounts();
    bench.proxy().plan(plan(kind, seed));
    int failedAttempts = 0;
    for (int from = 0; from < records.size(); from += BATCH) {
      failedAttempts += handle(records.subList(from, Math.min(records.size(), from + BATCH)), tail);
    }
    bench.proxy().plan(FaultPlan.none());
    long injected = bench.proxy().injectedTotal();

    // What the CMDB recorded: one change per history item.
    Set<String> changes = new HashSet<>();
    for (StoredCi ci : cis.allOfConnection(lab)) {
      String cursor = null;
      do {
        Page<CiHistoryEntry> page = cis.timeline(lab, ci.id(), 100, cursor);
        page.items().forEach(h -> changes.add(ci.id().value() + "#" + h.configurationStateId()));
        cursor = page.nextCursor();
      } while (cursor != null);
    }
    Map<String, Set<String>> idsByChange = new HashMap<>();
    int busCopies = 0;
    for (JsonNode e : drain(observed)) {
      JsonNode d = e.path("detail");
      String change =
          d.path("configurationItem").path("ciId").asString()
              + "#"
              + d.path("configurationStateId").asLong();
      idsByChange.computeIfAbsent(change, k -> new HashSet<>()).add(d.path("eventId").asString());
      busCopies++;
    }
    Map<String, Integer> deliveredIds = new TreeMap<>();
    for (String id : drainEventIds(deliveries)) {
      deliveredIds.merge(id, 1, Integer::sum);
    }
    int lost = 0;
    int doubled = 0;
    int distinct = 0;
    for (String change : changes) {
      Set<String> ids = idsByChange.getOrDefault(change, Set.of());
      if (ids.isEmpty()) {
        lost++;
        continue;
      }
      distinct += ids.size();
      if (ids.size() > 1) {
        doubled++;
      }
      // The webhook (no filters) must have a delivery queued for the change, under its event id.
      if (ids.stream().noneMatch(deliveredIds::containsKey)) {
        lost++;
      }
    }
    int deliveryCopies = deliveredIds.values().stream().mapToInt(Integer::intValue).sum();
    int redeliveries = (busCopies - distinct) + (deliveryCopies - deliveredIds.size());
    return new Tally(1, injected, failedAttempts, 0, 0, 0, 0, lost, doubled, redeliveries, 0, 0);
  }

  /**
   * Hands a batch to the handler until no record fails, each time from the first failed record on
   * (Lambda's event source mapping with ReportBatchItemFailures); returns the failed attempts.
   */
  private int handle(List<Record> batch, StreamTail tail) {
    List<Record> pending = batch;
    for (int attempt = 0; ; attempt++) {
      JsonNode answer;
      try {
        answer =
            JSON.readTree(ciEvents.invoke(LambdaStreamEvents.toJson(pending, tail.streamArn())));
      } catch (RuntimeException e) {
        // The handler threw: Lambda retries the whole batch.
        if (attempt >= MAX_DELIVERIES) {
          throw e;
        }
        continue;
      }
      JsonNode failures = answer.path("batchItemFailures");
      if (failures.isEmpty()) {
        return attempt;
      }
      if (attempt >= MAX_DELIVERIES) {
        throw new IllegalStateException("a stream batch still fails after " + attempt + " tries");
      }
      Set<String> failed = new HashSet<>();
      failures.forEach(f -> failed.add(f.path("itemIdentifier").asString()));
      int first = 0;
      while (first < pending.size()
          && !failed.contains(pending.get(first).dynamodb().sequenceNumber())) {
        first++;
      }
      pending = pending.subList(Math.min(first, pending.size() - 1), pending.size());
    }
  }

  private static List<ConfigurationItem> guests(ConnectionRef lab, int n, int memory) {
    List<ConfigurationItem> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(guest(lab, i, memory));
    }
    return out;
  }

  private static ConfigurationItem guest(ConnectionRef lab, int i, int memory) {
    return ConfigurationItem.discovered(
        "proxmox",
        lab,
        "qemu/" + (100 + i),
        SemanticType.COMPUTE,
        "qemu",
        "vm-" + i,
        "node/pve1",
        Attributes.of(Map.of("memory", memory, "cores", 2, "vmid", 100 + i)),
        List.of());
  }

  private static DiscoverySnapshot snapshot(
      ConnectionRef lab, Instant at, List<ConfigurationItem> items) {
    return new DiscoverySnapshot(
        lab, at, items, Set.of("node/pve1"), Set.of(), Map.of(), List.of(), new TreeMap<>(), 0);
  }

  /** Everything on a queue now, parsed, removed from it. */
  private List<JsonNode> drain(String queue) {
    List<JsonNode> out = new ArrayList<>();
    for (Message m : receiveAll(queue)) {
      out.add(JSON.readTree(m.body()));
    }
    return out;
  }

  /** The event id of every message on the delivery queue, removed from it. */
  private List<String> drainEventIds(String queue) {
    List<String> out = new ArrayList<>();
    for (Message m : receiveAll(queue)) {
      var attribute = m.messageAttributes().get("eventId");
      out.add(
          attribute != null
              ? attribute.stringValue()
              : JSON.readTree(m.body()).path("eventId").asString());
    }
    return out;
  }

  private List<Message> receiveAll(String queue) {
    List<Message> out = new ArrayList<>();
    while (true) {
      List<Message> batch =
          bench
              .direct()
              .sqs()
              .receiveMessage(
                  b ->
                      b.queueUrl(queue)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(0)
                          .messageAttributeNames("All"))
              .messages();
      if (batch.isEmpty()) {
        return out;
      }
      for (Message m : batch) {
        out.add(m);
        bench.direct().sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
      }
    }
  }

  @Override
  public void close() {
    ciEvents.close();
  }
}
