package dev.nimbus.local;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.aws.TableKeys;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.ConnectionDraft;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.discovery.DiscoveryApplication;
import dev.nimbus.discovery.DiscoveryScheduler;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import dev.nimbus.model.SemanticType;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.aws.AwsBackend;
import dev.nimbus.testing.aws.AwsCallCounter;
import dev.nimbus.testing.aws.AwsEmulator;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.aws.TemplateTable;
import dev.nimbus.testing.lambda.LambdaHarness;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fleet fan-out benchmark (bin/benchmark-fleet, issue 17 point 1): N connections, each with its
 * own id, created on the AWS emulator (up to {@link #REAL_CONNECTIONS} through the real
 * ConnectionService, each with its own Proxmox token and KMS-encrypted secret; beyond that, copies
 * of the first one's item, see {@code measure}) and spread over a few small in-process simulated
 * clusters; then one tick of the real {@code scheduleDiscovery} function (through {@link
 * LambdaHarness}, as Lambda starts it), the queue drained and counted, a second tick right after,
 * and the queued runs through the real {@code runDiscovery} function with W parallel workers, as
 * the event source mapping's maximum concurrency would run them. AWS requests are counted exactly
 * by {@link AwsCallCounter}.
 *
 * <p>The emulator (moto) answers about 170 DynamoDB requests a second, 20 to 100 times slower than
 * DynamoDB, so the wall times here are the emulator's; the request counts are the figures to carry
 * over, and the report projects them onto DynamoDB's latency.
 */
public final class FleetBenchmark {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String SCHEDULE = "rate(1 day)";

  /** Connections created through ConnectionService per fleet size; the rest are item copies. */
  static final int REAL_CONNECTIONS = 100;

  /** Round trips assumed for the projection onto AWS (same Region, warm connection). */
  private static final Duration DYNAMODB_CALL = Duration.ofMillis(7);

  private static final Duration SQS_CALL = Duration.ofMillis(10);

  private static final String TICK_EVENT =
      "{\"version\":\"0\",\"id\":\"ID\",\"detail-type\":\"Scheduled Event\","
          + "\"source\":\"aws.scheduler\",\"account\":\"123456789012\",\"time\":\"TIME\","
          + "\"region\":\"us-east-1\",\"resources\":[],\"detail\":{}}";

  record Options(List<Integer> sizes, int simulators, int workers, int maxRuns, Path report) {}

  /** One fleet size's figures. */
  record Result(
      int connections,
      int simulators,
      int tenants,
      double createSeconds,
      int itemBytes,
      double tickSeconds,
      int due,
      int queued,
      int deferred,
      AwsCallCounter.Counts tickCalls,
      int drained,
      int distinct,
      boolean everyConnectionOnce,
      int secondTickQueued,
      AwsCallCounter.Counts secondTickCalls,
      int runs,
      int workers,
      double runSeconds,
      int runFailures,
      AwsCallCounter.Counts runCalls,
      int isolated,
      List<String> isolationProblems) {}

  public static void main(String[] args) throws Exception {
    Options options = parse(args);
    if (options == null) {
      System.err.println(
          "usage: bin/benchmark-fleet [--connections 100,1000] [--quick] [--simulators N]"
              + " [--workers W] [--runs N]");
      System.exit(2);
      return;
    }
    AwsBackend backend = AwsEmulator.backend();
    System.err.println("AWS: " + backend.kind() + " at " + backend.endpoint());
    boolean serialized = backend.kind() == AwsBackend.Kind.MOTO;
    // moto fails parallel writes (see AwsCallCounter.serializeRequests): one request at a time,
    // while the runs' Proxmox calls, parsing and CMDB work still go on in parallel.
    AwsCallCounter.serializeRequests(serialized);
    AwsClients clients = AwsTestEnvironment.clientsFor(backend);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String table = "nimbus-fleet-" + suffix;
    // The template's table without its stream: moto copies a whole table, stream records
    // included, on every TransactWriteItems (to roll back), so with the stream each write got
    // slower (50 s a transaction and 5.5 GB of emulator memory after 100 connections and a few
    // runs). Nothing here reads the stream; keys, indexes and projections are the template's.
    clients
        .dynamoDb()
        .createTable(
            TemplateTable.read(TemplateTable.locateTemplate()).createRequest(table).toBuilder()
                .streamSpecification(
                    (software.amazon.awssdk.services.dynamodb.model.StreamSpecification) null)
                .build());
    clients.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName(table));
    String keyId =
        clients.kms().createKey(b -> b.description("fleet benchmark")).keyMetadata().keyId();
    String alias = "alias/" + table;
    clients.kms().createAlias(b -> b.aliasName(alias).targetKeyId(keyId));
    SqsClient sqs = clients.sqs();
    String queueUrl =
        sqs.createQueue(
                b ->
                    b.queueName("fleet-" + suffix)
                        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "900")))
            .queueUrl();
    List<PveSimulator> sims = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    try {
      for (int i = 0; i < options.simulators(); i++) {
        // One node and 2 to 4 guests: a small cluster, different sizes so that a CI count that
        // leaked from one connection to another would show.
        sims.add(
            PveSimulator.start(
                SimulatorConfig.scale(1, 2 + i % 3, 4_000 + i)
                    .withVersion(PveVersion.V9_1)
                    .withAuthFailureDelay(Duration.ZERO)));
      }
      System.err.println(sims.size() + " simulators started");
      Fleet fleet = new Fleet(backend, clients, table, alias, sqs, queueUrl, sims);
      for (int size : options.sizes()) {
        results.add(fleet.measure(size, options));
      }
    } finally {
      sims.forEach(PveSimulator::close);
    }
    String text = report(results, options, backend, serialized);
    System.out.print(text);
    if (options.report() != null) {
      Files.createDirectories(options.report().toAbsolutePath().getParent());
      Files.writeString(options.report(), text);
    }
    // The function contexts (FunctionInvoker) and the emulator live until the JVM ends.
    System.exit(0);
  }

  static Options parse(String[] args) {
    List<Integer> sizes = List.of(100, 1000);
    int simulators = 10;
    int workers = 10;
    int maxRuns = 20;
    Path report = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--connections" -> {
          List<Integer> list = new ArrayList<>();
          for (String s : args[++i].split(",")) {
            list.add(Integer.parseInt(s.trim().replace("_", "")));
          }
          sizes = List.copyOf(list);
        }
        case "--quick" -> sizes = List.of(100);
        case "--simulators" -> simulators = Integer.parseInt(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--runs" -> maxRuns = Integer.parseInt(args[++i]);
        case "--report" -> report = Path.of(args[++i]);
        default -> {
          return null;
        }
      }
    }
    if (sizes.isEmpty()
        || sizes.stream().anyMatch(n -> n < 1 || n > 100_000)
        || simulators < 1
        || workers < 1
        || maxRuns < 0) {
      return null;
    }
    return new Options(sizes, simulators, workers, maxRuns, report);
  }

  /** The emulator's table, key and queue, the simulators, and the connections made so far. */
  private record Fleet(
      AwsBackend backend,
      AwsClients clients,
      String table,
      String keyAlias,
      SqsClient sqs,
      String queueUrl,
      List<PveSimulator> sims) {

    Result measure(int size, Options options) throws Exception {
      int simulators = Math.min(size, sims.size());
      int tenants = Math.max(1, Math.min(10, size / 10));
      String prefix = "f" + size;
      ConnectionService connections =
          ConnectionService.create(
              clients, new ConnectionsConfig(table, keyAlias), Clock.systemUTC());
      Map<ConnectionRef, PveSimulator> simOf = new LinkedHashMap<>();
      for (int i = 0; i < size; i++) {
        simOf.put(
            new ConnectionRef(prefix + "-t" + (i % tenants), String.format("c%05d", i)),
            sims.get(i % simulators));
      }
      // Set-up, not measured. Up to REAL_CONNECTIONS (or every connection when all are run) are
      // created through ConnectionService; beyond that, the rest are copies of the first one's
      // item under their own keys (one BatchWriteItem per 25): moto copies the whole table on
      // every TransactWriteItems, so a thousand real creates degrade it to a few requests a
      // second before the tick even starts. A copy carries the first connection's token
      // ciphertext, whose encryption context names that connection, so copies are ticked and
      // queued like any other connection but never run (the runs take real ones only).
      int real =
          options.maxRuns() == 0
              ? size
              : Math.min(size, Math.max(REAL_CONNECTIONS, options.maxRuns()));
      Set<ConnectionRef> realRefs = new HashSet<>();
      System.err.printf(
          "[%d] creating %d connections (%d through ConnectionService)...%n", size, size, real);
      long t0 = System.nanoTime();
      // Four at a time to spare the emulator's wall time.
      try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
        List<Future<?>> done = new ArrayList<>();
        int i = 0;
        for (var e : simOf.entrySet()) {
          if (i == real) {
            break;
          }
          int n = i++;
          realRefs.add(e.getKey());
          done.add(pool.submit(() -> create(connections, e.getKey(), e.getValue(), n)));
        }
        for (Future<?> f : done) {
          f.get();
        }
      }
      ConnectionRef sample = simOf.keySet().iterator().next();
      Map<String, AttributeValue> sampleItem = storedItem(sample);
      if (real < size) {
        copies(
            sample,
            sampleItem,
            simOf.keySet().stream().filter(r -> !realRefs.contains(r)).toList());
      }
      double createSeconds = (System.nanoTime() - t0) / 1e9;
      int itemBytes = itemSize(sampleItem);

      // --- the tick ---
      JsonNode tick;
      double tickSeconds;
      AwsCallCounter.Counts tickCalls;
      JsonNode second;
      AwsCallCounter.Counts secondCalls;
      try (LambdaHarness schedule = harness("scheduleDiscovery")) {
        System.err.printf("[%d] tick...%n", size);
        AwsCallCounter.Counts before = AwsCallCounter.snapshot();
        long t1 = System.nanoTime();
        tick = JSON.readTree(schedule.invoke(tickEvent()));
        tickSeconds = (System.nanoTime() - t1) / 1e9;
        tickCalls = AwsCallCounter.snapshot().minus(before);
        // Right after: everything just claimed is due again only in a day.
        AwsCallCounter.Counts before2 = AwsCallCounter.snapshot();
        second = JSON.readTree(schedule.invoke(tickEvent()));
        secondCalls = AwsCallCounter.snapshot().minus(before2);
      }
      List<Message> drained = drain();
      List<ConnectionRef> refs =
          drained.stream().map(m -> DiscoveryScheduler.parse(m.body()).ref()).toList();
      Set<ConnectionRef> distinct = new HashSet<>(refs);
      boolean once = refs.size() == distinct.size() && distinct.equals(simOf.keySet());

      // --- the runs ---
      List<Message> runnable =
          drained.stream()
              .filter(m -> realRefs.contains(DiscoveryScheduler.parse(m.body()).ref()))
              .toList();
      List<Message> toRun =
          runnable.subList(
              0,
              options.maxRuns() == 0
                  ? runnable.size()
                  : Math.min(options.maxRuns(), runnable.size()));
      int workers = Math.min(options.workers(), Math.max(1, toRun.size()));
      String queueArn =
          sqs.getQueueAttributes(
                  b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
              .attributes()
              .get(QueueAttributeName.QUEUE_ARN);
      AtomicInteger failures = new AtomicInteger();
      double runSeconds;
      AwsCallCounter.Counts runCalls;
      PrintStream stdout = System.out;
      try (LambdaHarness run = harness("runDiscovery")) {
        System.err.printf("[%d] %d runs, %d workers...%n", size, toRun.size(), workers);
        ConcurrentLinkedQueue<Message> work = new ConcurrentLinkedQueue<>(toRun);
        // Each run prints its metric record (EMF) on stdout, as in Lambda; not into the report.
        System.setOut(
            new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        AwsCallCounter.Counts before = AwsCallCounter.snapshot();
        long t2 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
          for (int w = 0; w < workers; w++) {
            pool.submit(
                () -> {
                  for (Message m; (m = work.poll()) != null; ) {
                    try {
                      JsonNode answer = JSON.readTree(run.invoke(sqsEvent(m, queueArn)));
                      if (!answer.path("batchItemFailures").isEmpty()) {
                        failures.incrementAndGet();
                      }
                    } catch (RuntimeException e) {
                      failures.incrementAndGet();
                      System.err.println("run of " + m.body() + " failed: " + e);
                    }
                  }
                });
          }
        }
        runSeconds = (System.nanoTime() - t2) / 1e9;
        runCalls = AwsCallCounter.snapshot().minus(before);
      } finally {
        System.setOut(stdout);
      }

      // --- isolation: each connection's CIs are its own, as many as its cluster has ---
      DynamoDbCiRepository cis =
          new DynamoDbCiRepository(clients.dynamoDb(), table, CmdbSettings.defaults());
      int isolated = 0;
      List<String> problems = new ArrayList<>();
      for (Message m : toRun) {
        ConnectionRef ref = DiscoveryScheduler.parse(m.body()).ref();
        // A run that failed (the emulator refusing a write, say) still answers the queue with
        // success after recording the failure; the connection's last run says which.
        if (!connections
            .find(ref)
            .flatMap(dev.nimbus.connections.Connection::lastRun)
            .map(dev.nimbus.connections.RunSummary::succeeded)
            .orElse(false)) {
          failures.incrementAndGet();
          if (problems.size() < 5) {
            problems.add(ref + ": run failed");
          }
          continue;
        }
        PveSimulator sim = simOf.get(ref);
        List<StoredCi> stored = cis.allOfConnection(ref);
        long foreign = stored.stream().filter(ci -> !ci.item().connection().equals(ref)).count();
        long guests =
            stored.stream().filter(ci -> ci.item().semanticType() == SemanticType.COMPUTE).count();
        long hosts =
            stored.stream().filter(ci -> ci.item().semanticType() == SemanticType.HOST).count();
        if (foreign == 0
            && guests == sim.cluster().guests().size()
            && hosts == sim.cluster().nodes().size()) {
          isolated++;
        } else if (problems.size() < 5) {
          problems.add(
              ref
                  + ": "
                  + foreign
                  + " CIs of another connection, "
                  + guests
                  + " guests (cluster "
                  + sim.cluster().guests().size()
                  + "), "
                  + hosts
                  + " hosts");
        }
      }
      return new Result(
          size,
          simulators,
          tenants,
          createSeconds,
          itemBytes,
          tickSeconds,
          tick.path("due").asInt(),
          tick.path("queued").asInt(),
          tick.path("deferred").asInt(),
          tickCalls,
          refs.size(),
          distinct.size(),
          once,
          second.path("queued").asInt(),
          secondCalls,
          toRun.size(),
          workers,
          runSeconds,
          failures.get(),
          runCalls,
          isolated,
          problems);
    }

    /** A connection's item as stored (consistent read). */
    private Map<String, AttributeValue> storedItem(ConnectionRef ref) {
      return clients
          .dynamoDb()
          .getItem(
              b ->
                  b.tableName(table)
                      .consistentRead(true)
                      .key(
                          Map.of(
                              TableKeys.PK,
                              AttributeValue.fromS(TableKeys.tenantPk(ref.tenantId())),
                              TableKeys.SK,
                              AttributeValue.fromS(TableKeys.connectionSk(ref.connectionId())))))
          .item();
    }

    /**
     * Copies {@code item}, the stored item of {@code sample}, under each of {@code refs}: every
     * string attribute that names the sample's tenant or connection names the copy's instead (keys,
     * ids, the schedule index key); everything else, the encrypted token included, stays as it is.
     */
    private void copies(
        ConnectionRef sample, Map<String, AttributeValue> item, List<ConnectionRef> refs) {
      List<WriteRequest> batch = new ArrayList<>();
      for (ConnectionRef ref : refs) {
        Map<String, AttributeValue> copy = new HashMap<>();
        item.forEach(
            (k, v) ->
                copy.put(
                    k,
                    v.s() == null
                        ? v
                        : AttributeValue.fromS(
                            v.s()
                                .replace(sample.connectionId(), ref.connectionId())
                                .replace(sample.tenantId(), ref.tenantId()))));
        batch.add(WriteRequest.builder().putRequest(b -> b.item(copy)).build());
        if (batch.size() == 25) {
          write(batch);
          batch = new ArrayList<>();
        }
      }
      if (!batch.isEmpty()) {
        write(batch);
      }
    }

    private void write(List<WriteRequest> batch) {
      Map<String, List<WriteRequest>> pending = Map.of(table, batch);
      while (!pending.isEmpty()) {
        Map<String, List<WriteRequest>> request = pending;
        pending =
            clients.dynamoDb().batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
      }
    }

    private void create(ConnectionService connections, ConnectionRef ref, PveSimulator sim, int n) {
      ApiToken token =
          sim.createToken(
              "fleet@pve", "t" + ref.tenantId() + ref.connectionId(), Roles.PVE_AUDITOR, true);
      connections.create(
          ref.tenantId(),
          new ConnectionDraft(
              ref.connectionId(),
              new ConnectionSettings(
                  "cluster " + n,
                  new Endpoint("127.0.0.1", sim.port(), Optional.empty()),
                  Optional.empty(),
                  TlsTrust.pinned(Map.of(sim.entryNode(), sim.fingerprint(sim.entryNode()))),
                  token.fullId(),
                  new DiscoveryScope.Everything(),
                  SCHEDULE),
              Secret.of(token.secret()),
              Map.of()),
          "benchmark@fleet");
    }

    private LambdaHarness harness(String function) {
      return LambdaHarness.forApplication(DiscoveryApplication.class)
          .function(function)
          .property("TABLE_NAME", table)
          .property("TOKEN_KEY_ID", keyAlias)
          .property("DISCOVERY_QUEUE_URL", queueUrl)
          .awsEmulator(backend.endpoint(), backend.region())
          .property("logging.level.root", "WARN")
          .property("logging.level.org.springframework.cloud.function.adapter.aws", "ERROR")
          .start();
    }

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
        List<software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry> entries =
            new ArrayList<>();
        for (int i = 0; i < got.size(); i++) {
          int n = i;
          entries.add(
              software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                  .id(Integer.toString(n))
                  .receiptHandle(got.get(n).receiptHandle())
                  .build());
        }
        sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      }
      return all;
    }

    private String sqsEvent(Message m, String queueArn) {
      ObjectNode event = JSON.createObjectNode();
      ArrayNode records = event.putArray("Records");
      ObjectNode r = records.addObject();
      r.put("messageId", m.messageId());
      r.put("receiptHandle", m.receiptHandle());
      r.put("body", m.body());
      ObjectNode attributes = r.putObject("attributes");
      attributes.put("ApproximateReceiveCount", "1");
      attributes.put("SentTimestamp", Long.toString(System.currentTimeMillis()));
      r.putObject("messageAttributes");
      r.put("md5OfBody", m.md5OfBody());
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", queueArn);
      r.put("awsRegion", backend.region());
      return JSON.writeValueAsString(event);
    }
  }

  private static String tickEvent() {
    return TICK_EVENT
        .replace("ID", UUID.randomUUID().toString())
        .replace("TIME", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** DynamoDB's item size: attribute names plus values (numbers about one byte per two digits). */
  static int itemSize(Map<String, AttributeValue> item) {
    int size = 0;
    for (var e : item.entrySet()) {
      size += e.getKey().getBytes(StandardCharsets.UTF_8).length + valueSize(e.getValue());
    }
    return size;
  }

  private static int valueSize(AttributeValue v) {
    if (v.s() != null) {
      return v.s().getBytes(StandardCharsets.UTF_8).length;
    }
    if (v.n() != null) {
      return v.n().length() / 2 + 1;
    }
    if (v.b() != null) {
      return v.b().asByteArray().length;
    }
    if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
      return 1;
    }
    if (v.hasSs()) {
      return v.ss().stream().mapToInt(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
    }
    if (v.hasM()) {
      return 3 + itemSize(v.m()) + v.m().size();
    }
    if (v.hasL()) {
      return 3 + v.l().stream().mapToInt(x -> valueSize(x) + 1).sum();
    }
    return 0;
  }

  static String report(
      List<Result> results, Options options, AwsBackend backend, boolean serialized) {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            "Fleet fan-out benchmark: %s, emulator %s%s, %d cores, load average %.1f at the end,"
                + " %d simulators (1 node, 2 to 4 guests each, PVE 9.1), runs by %d workers%n%n",
            Instant.now().truncatedTo(ChronoUnit.MINUTES),
            backend.kind(),
            serialized ? " (AWS requests one at a time)" : "",
            Runtime.getRuntime().availableProcessors(),
            load,
            options.simulators(),
            options.workers()));
    s.append(
        "| connections | due | queued (drained, each once) | deferred | tick wall (emulator) |"
            + " of it on the wire to the emulator | tick DynamoDB requests | tick SQS requests | tick KMS |"
            + " projected on AWS |"
            + " second tick: queued / requests | connection item |\n");
    s.append("|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---|---:|\n");
    for (Result r : results) {
      long dynamo = r.tickCalls().service("DynamoDb");
      long sqs = r.tickCalls().service("Sqs");
      double projected = (dynamo * DYNAMODB_CALL.toMillis() + sqs * SQS_CALL.toMillis()) / 1000.0;
      s.append(
          String.format(
              "| %,d | %,d | %,d (%,d, %s) | %d | %.2f s | %.2f s | %,d: %s | %,d: %s | %d | %.1f s |"
                  + " %d / %s | %,d B |%n",
              r.connections(),
              r.due(),
              r.queued(),
              r.drained(),
              r.everyConnectionOnce() ? "yes" : "NO",
              r.deferred(),
              r.tickSeconds(),
              r.tickCalls().wireNanos() / 1e9,
              dynamo,
              r.tickCalls().describe("DynamoDb"),
              sqs,
              r.tickCalls().describe("Sqs"),
              r.tickCalls().service("Kms"),
              projected,
              r.secondTickQueued(),
              r.secondTickCalls().describe("DynamoDb"),
              r.itemBytes()));
    }
    s.append('\n');
    s.append(
        "| connections | runs | workers | run wall (emulator) | AWS wire time per run | runs/s |"
            + " DynamoDB requests per run |"
            + " table writes per run | KMS Decrypt per run | failed runs | isolation (own CIs, counts match the cluster) |\n");
    s.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Result r : results) {
      double per = Math.max(1, r.runs());
      long writes =
          r.runCalls().of("DynamoDb.PutItem")
              + r.runCalls().of("DynamoDb.UpdateItem")
              + r.runCalls().of("DynamoDb.TransactWriteItems")
              + r.runCalls().of("DynamoDb.BatchWriteItem")
              + r.runCalls().of("DynamoDb.DeleteItem");
      s.append(
          String.format(
              "| %,d | %,d | %d | %.1f s | %.2f s | %.2f | %.1f | %.1f | %.1f | %d | %d of %d%s |%n",
              r.connections(),
              r.runs(),
              r.workers(),
              r.runSeconds(),
              r.runCalls().wireNanos() / 1e9 / per,
              r.runs() / Math.max(0.001, r.runSeconds()),
              r.runCalls().service("DynamoDb") / per,
              writes / per,
              r.runCalls().of("Kms.Decrypt") / per,
              r.runFailures(),
              r.isolated(),
              r.runs(),
              r.isolationProblems().isEmpty()
                  ? ""
                  : " (" + String.join("; ", r.isolationProblems()) + ")"));
    }
    s.append('\n');
    for (Result r : results) {
      s.append(
          String.format(
              "- %,d connections (%d tenants) created in %.1f s (set-up, not measured);"
                  + " run requests by kind: %s; %s%n",
              r.connections(),
              r.tenants(),
              r.createSeconds(),
              r.runCalls().describe("DynamoDb"),
              r.runCalls().describe("Kms")));
    }
    s.append(
        String.format(
            "- projected on AWS: the tick's requests one after another at %d ms per DynamoDB and"
                + " %d ms per SQS request.%n",
            DYNAMODB_CALL.toMillis(), SQS_CALL.toMillis()));
    return s.toString();
  }
}
