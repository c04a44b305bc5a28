package dev.nimbus.local;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.Connection;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.RunSummary;
import dev.nimbus.discovery.DiscoveryApplication;
import dev.nimbus.discovery.DiscoveryRequest;
import dev.nimbus.events.CiChangeEvent;
import dev.nimbus.events.CiEventsLocal;
import dev.nimbus.local.LocalOptions.RealProxmox;
import dev.nimbus.local.LocalOptions.UsageException;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.lambda.LambdaHarness;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One local discovery of one connection through the real Lambda handlers, against the running
 * {@link LocalEnvironment} ({@link DiscoverCommand} is the command around it). Five phases, one
 * progress line each: the AWS environment, the Proxmox side, the connection, the schedule tick
 * ({@code scheduleDiscovery} with a ScheduledEvent) and the run ({@code runDiscovery} with the
 * SQSEvent of the queued message). Then a summary read back from the CMDB (the run record and the
 * CIs) and the change events of the run, read from the table's stream as the ci-events function
 * would.
 *
 * <p>The handlers run through the shared {@link LambdaHarness}; the summary is {@link
 * SummaryPrinter}'s and a real Proxmox is registered by {@link RealConnection}.
 *
 * <p>With {@code --output json} the CIs go to stdout as JSON and everything else to stderr.
 */
public final class LocalRun {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(30);

  private final EnvironmentInfo env;
  private final LocalOptions options;
  private final PrintStream out;
  private final PrintStream progress;
  private final Map<String, String> variables;
  private final Clock clock;

  /**
   * @param out where the summary (text) or the CIs (JSON) go
   * @param err where progress goes in JSON mode, and problems always
   * @param variables the process environment ({@code PROXMOX_TOKEN_SECRET})
   */
  public LocalRun(
      EnvironmentInfo env,
      LocalOptions options,
      PrintStream out,
      PrintStream err,
      Map<String, String> variables,
      Clock clock) {
    this.env = env;
    this.options = options;
    this.out = out;
    this.progress = options.output() == LocalOptions.Output.JSON ? err : out;
    this.variables = variables;
    this.clock = clock;
  }

  /** What one local run found, for callers that want more than the printed text. */
  public record Result(
      ConnectionRef connection,
      boolean succeeded,
      RunRecord run,
      List<StoredCi> cis,
      List<CiChangeEvent> events) {
    /** CIs the run wrote: created, updated, recovered or deleted. */
    public int ciWrites() {
      return run.created() + run.updated() + run.recovered() + run.deleted();
    }
  }

  /** Runs the five phases and prints the summary. */
  public Result run() {
    AwsClients clients = AwsTestEnvironment.clientsFor(env.backend());
    try {
      return run(clients);
    } finally {
      clients.close();
    }
  }

  private Result run(AwsClients clients) {
    progress.printf(
        "[1/5] AWS: %s at %s; table %s, key %s, queue %s, event bus %s%n",
        env.backendKind().toLowerCase(Locale.ROOT),
        env.awsEndpoint(),
        env.tableName(),
        env.keyAlias(),
        env.queueUrl().substring(env.queueUrl().lastIndexOf('/') + 1),
        env.eventBusName());

    ConnectionService connections =
        ConnectionService.create(
            clients, new ConnectionsConfig(env.tableName(), env.keyAlias()), clock);
    ConnectionRef ref;
    if (options.real().isPresent()) {
      RealProxmox real = options.real().get();
      progress.printf(
          "[2/5] Proxmox: %s (%s)%n",
          real.endpoint(),
          real.fingerprints().isEmpty()
              ? "CA " + real.caFile().orElseThrow()
              : "pinned "
                  + real.fingerprints().entrySet().stream()
                      .map(e -> e.getKey() + " " + abbreviate(e.getValue()))
                      .collect(Collectors.joining(", ")));
      ref = new RealConnection(env.tenantId(), variables, progress).register(connections, real);
    } else {
      EnvironmentInfo.SimulatorInfo sim =
          env.simulatorInfo()
              .orElseThrow(
                  () ->
                      new UsageException(
                          "the running environment has no simulator (it was started for a real"
                              + " Proxmox): give --endpoint, or bin/discover --reset"));
      progress.printf(
          "[2/5] Proxmox: simulator PVE %s, %d nodes, %d guests at %s (%s %s)%n",
          sim.version(),
          sim.nodes(),
          sim.guests(),
          sim.url(),
          sim.entryNode(),
          abbreviate(sim.fingerprint()));
      ref = env.simulatorConnection().orElseThrow();
    }

    Connection connection =
        connections
            .find(ref)
            .orElseThrow(() -> new IllegalStateException("connection " + ref + " is missing"));
    progress.printf(
        "[3/5] Connection %s \"%s\": token %s (secret KMS-encrypted under %s), %s, last run %s%n",
        ref,
        connection.name(),
        connection.tokenId(),
        env.keyAlias(),
        connection.status(),
        connection.lastRun().map(r -> time(r.startedAt())).orElse("never"));

    CiEventsLocal events = CiEventsLocal.open(clients, env.tableName(), env.eventBusName());
    Instant tickAt = clock.instant();
    try (SqsClient sqs = clients.sqs();
        LambdaHarness schedule = handler("scheduleDiscovery")) {
      tick(schedule, connections, sqs, ref);
    }
    try (SqsClient sqs = clients.sqs();
        LambdaHarness runner = handler("runDiscovery")) {
      runQueued(runner, sqs, ref);
    }

    DynamoDbCiRepository cmdb =
        new DynamoDbCiRepository(clients.dynamoDb(), env.tableName(), CmdbSettings.defaults());
    RunRecord run =
        cmdb.latestRuns(ref, 1).stream()
            .filter(r -> !r.startedAt().isBefore(tickAt.truncatedTo(ChronoUnit.MILLIS)))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no run of " + ref + " was recorded"));
    List<StoredCi> cis = cmdb.allOfConnection(ref);
    boolean succeeded =
        connections.find(ref).flatMap(Connection::lastRun).map(RunSummary::succeeded).orElse(false);
    List<CiChangeEvent> changes = events.drain();
    Result result = new Result(ref, succeeded, run, cis, changes);
    if (options.output() == LocalOptions.Output.JSON) {
      out.println(CiJson.write(CiJson.toJson(cis)));
      SummaryPrinter.print(result, progress);
    } else {
      SummaryPrinter.print(result, out);
    }
    return result;
  }

  /** The scheduler tick; a connection that is not due yet gets a "discover now" message instead. */
  private void tick(
      LambdaHarness schedule, ConnectionService connections, SqsClient sqs, ConnectionRef ref) {
    ObjectNode event =
        (ObjectNode) JSON.readTree(LambdaHarness.fixture("local-run/scheduled-event.json"));
    event.put("id", UUID.randomUUID().toString());
    event.put("time", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    JsonNode tick = JSON.readTree(schedule.invoke(JSON.writeValueAsBytes(event)));
    List<String> queued = new ArrayList<>();
    tick.path("connections").forEach(c -> queued.add(c.asString()));
    if (queued.contains(ref.toString())) {
      progress.printf(
          "[4/5] Schedule tick (scheduleDiscovery, ScheduledEvent): %d due, queued %s%n",
          tick.path("due").asInt(), String.join(", ", queued));
      return;
    }
    String nextDue =
        connections
            .find(ref)
            .flatMap(Connection::nextDueAt)
            .map(LocalRun::time)
            .orElse("not scheduled");
    sqs.sendMessage(
        b ->
            b.queueUrl(env.queueUrl())
                .messageBody(JSON.writeValueAsString(DiscoveryRequest.of(ref))));
    progress.printf(
        "[4/5] Schedule tick (scheduleDiscovery, ScheduledEvent): %s is not due before %s;"
            + " queued a discover-now request for it%n",
        ref, nextDue);
  }

  /** Receives the queued messages and hands them to {@code runDiscovery} as SQS would. */
  private void runQueued(LambdaHarness runner, SqsClient sqs, ConnectionRef ref) {
    String body = JSON.writeValueAsString(DiscoveryRequest.of(ref));
    String queueArn =
        sqs.getQueueAttributes(
                b -> b.queueUrl(env.queueUrl()).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    Map<String, Message> received = new LinkedHashMap<>();
    Instant deadline = clock.instant().plus(RECEIVE_TIMEOUT);
    while (received.values().stream().noneMatch(m -> m.body().equals(body))) {
      if (clock.instant().isAfter(deadline)) {
        throw new IllegalStateException("the discovery message for " + ref + " never arrived");
      }
      sqs.receiveMessage(
              b ->
                  b.queueUrl(env.queueUrl())
                      .maxNumberOfMessages(10)
                      .waitTimeSeconds(1)
                      .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
          .messages()
          .forEach(m -> received.put(m.messageId(), m));
    }
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message m : received.values()) {
      ObjectNode r = records.addObject();
      r.put("messageId", m.messageId());
      r.put("receiptHandle", m.receiptHandle());
      r.put("body", m.body());
      ObjectNode attributes = r.putObject("attributes");
      m.attributesAsStrings().forEach(attributes::put);
      r.putObject("messageAttributes");
      r.put("md5OfBody", m.md5OfBody());
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", queueArn);
      r.put("awsRegion", env.region());
    }
    long started = System.nanoTime();
    JsonNode response = JSON.readTree(runner.invoke(JSON.writeValueAsBytes(event)));
    List<String> failed = new ArrayList<>();
    response
        .path("batchItemFailures")
        .forEach(f -> failed.add(f.path("itemIdentifier").asString()));
    // As the event source mapping does: delete what succeeded; a failure stays for redelivery.
    for (Message m : received.values()) {
      if (!failed.contains(m.messageId())) {
        sqs.deleteMessage(b -> b.queueUrl(env.queueUrl()).receiptHandle(m.receiptHandle()));
      }
    }
    progress.printf(
        "[5/5] Run (runDiscovery, SQSEvent with %d message%s): %s in %.1f s%n",
        received.size(),
        received.size() == 1 ? "" : "s",
        failed.isEmpty() ? "done" : failed.size() + " failed, left on the queue for a retry",
        (System.nanoTime() - started) / 1e9);
  }

  /**
   * A discovery function as Lambda runs it, with what the Lambda environment gives it: the
   * function's variables, the emulator's endpoint and dummy credentials. Framework logging stays at
   * WARN (and on stderr, see logback.xml) so the progress lines stay readable.
   */
  private LambdaHarness handler(String function) {
    return LambdaHarness.forApplication(DiscoveryApplication.class)
        .function(function)
        .property("TABLE_NAME", env.tableName())
        .property("TOKEN_KEY_ID", env.keyAlias())
        .property("DISCOVERY_QUEUE_URL", env.queueUrl())
        .awsEmulator(URI.create(env.awsEndpoint()), env.region())
        .property("logging.level.root", "WARN")
        // Without a Lambda runtime there is no Context to pass; the adapter warns about it each
        // time.
        .property("logging.level.org.springframework.cloud.function.adapter.aws", "ERROR")
        .start();
  }

  private static String time(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code AB:CD:...:EF}: enough to compare with what the node's Certificates panel shows. */
  static String abbreviate(String fingerprint) {
    return fingerprint.length() <= 17
        ? fingerprint
        : fingerprint.substring(0, 8) + "..." + fingerprint.substring(fingerprint.length() - 8);
  }
}
