package dev.nimbus.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.aws.StreamTail;
import dev.nimbus.cmdb.CmdbService;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.KmsEnvelopeTokenCipher;
import dev.nimbus.events.testing.ChangeEventSchema;
import dev.nimbus.events.testing.LambdaStreamEvents;
import dev.nimbus.events.testing.TestCis;
import dev.nimbus.events.webhook.WebhookDispatcher;
import dev.nimbus.model.Attribution;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.Secret;
import dev.nimbus.model.SemanticType;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.https.LocalHttpsReceiver;
import dev.nimbus.testing.https.TestCertificates;
import dev.nimbus.webhooks.HttpsPoster;
import dev.nimbus.webhooks.UrlPolicy;
import dev.nimbus.webhooks.WebhookFailure;
import dev.nimbus.webhooks.WebhookFailureRepository;
import dev.nimbus.webhooks.WebhookSigner;
import dev.nimbus.webhooks.WebhookSubscription;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import dev.nimbus.webhooks.WebhookTls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;

/**
 * The stream-to-bus-and-webhooks path on the AWS emulator: CIs written by the real CMDB, stream
 * records read with {@link StreamTail}, handed as a Lambda event to the real handler through {@code
 * FunctionInvoker}; an SQS queue behind a rule on the bus shows what was published, and local HTTPS
 * receivers (self-signed BouncyCastle certificate, trusted through configuration) show the webhook
 * calls.
 */
@ExtendWith(AwsEmulatorExtension.class)
class CiEventsIT {
  private static final String SECRET = "whsec-it-5f2b9c0e7a";
  private static final AtomicInteger TENANTS = new AtomicInteger();

  private static AwsTestEnvironment aws;
  private static DynamoDbClient dynamo;
  private static DynamoDbStreamsClient streams;
  private static EventBridgeClient eventBridge;
  private static SqsClient sqs;
  private static String busName;
  private static Path trustPem;
  private static TestCertificates certificate;
  private static FunctionInvoker invoker;
  private static WebhookSubscriptionRepository subscriptions;
  private static WebhookFailureRepository failures;
  private static final List<LocalHttpsReceiver> receivers = new ArrayList<>();

  @BeforeAll
  static void start(AwsTestEnvironment env) throws Exception {
    aws = env;
    dynamo = aws.clients().dynamoDb();
    streams = aws.clients().dynamoDbStreams();
    eventBridge = aws.clients().eventBridge();
    sqs =
        SqsClient.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.of(aws.region()))
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        "test", "test")))
            .endpointOverride(aws.endpoint())
            .build();
    busName = aws.tableName() + "-bus";
    eventBridge.createEventBus(b -> b.name(busName));
    certificate = TestCertificates.selfSigned("localhost", "127.0.0.1");
    trustPem = certificate.writePem(Files.createTempDirectory("ci-events-it"));

    KmsEnvelopeTokenCipher cipher = new KmsEnvelopeTokenCipher(aws.clients().kms(), aws.keyAlias());
    subscriptions =
        new WebhookSubscriptionRepository(
            dynamo, aws.tableName(), cipher, UrlPolicy.of(true, List.of()));
    failures = new WebhookFailureRepository(dynamo, aws.tableName(), Duration.ofDays(14));

    Map<String, String> props =
        Map.ofEntries(
            Map.entry("MAIN_CLASS", CiEventsApplication.class.getName()),
            Map.entry("spring.cloud.function.definition", "ciEvents"),
            Map.entry("nimbus.events.table-name", aws.tableName()),
            Map.entry("nimbus.events.event-bus-name", busName),
            Map.entry("nimbus.events.token-key-id", aws.keyAlias()),
            Map.entry("aws.region", aws.region()),
            Map.entry("aws.endpointUrl", aws.endpoint().toString()),
            Map.entry("nimbus.events.local-mode", "true"),
            Map.entry("nimbus.events.webhook-trust-pem", trustPem.toString()),
            Map.entry("nimbus.events.webhook-max-attempts", "3"),
            Map.entry("nimbus.events.webhook-backoff", "20ms"),
            Map.entry("aws.accessKeyId", "test"),
            Map.entry("aws.secretAccessKey", "test"));
    props.forEach(System::setProperty);
    invoker = new FunctionInvoker();
  }

  @AfterAll
  static void stop() {
    receivers.forEach(LocalHttpsReceiver::close);
    for (String p :
        List.of(
            "MAIN_CLASS",
            "spring.cloud.function.definition",
            "nimbus.events.table-name",
            "nimbus.events.event-bus-name",
            "nimbus.events.token-key-id",
            "aws.region",
            "aws.endpointUrl",
            "nimbus.events.local-mode",
            "nimbus.events.webhook-trust-pem",
            "nimbus.events.webhook-max-attempts",
            "nimbus.events.webhook-backoff",
            "aws.accessKeyId",
            "aws.secretAccessKey")) {
      System.clearProperty(p);
    }
  }

  // ---------------------------------------------------------------- acceptance

  @Test
  void oneCiChangeYieldsExactlyOneEventOnTheBusAndOneCorrectlySignedWebhookCallWithTheDiff()
      throws Exception {
    ConnectionRef lab = freshConnection();
    String queue = observe(lab.tenantId());
    LocalHttpsReceiver receiver = receiver(List.of(200));
    subscribe(lab.tenantId(), "ops", receiver, Set.of(SemanticType.COMPUTE), Set.of());
    StreamTail tail = tail();
    cmdb().apply(snapshot(lab, Instant.parse("2026-03-01T10:00:00Z"), 2048, Map.of()));
    tail.poll(); // the CI's creation: not under test here
    drain(queue);
    int callsBefore = receiver.received().size();

    cmdb()
        .apply(
            snapshot(
                lab,
                Instant.parse("2026-03-01T10:05:00Z"),
                4096,
                Map.of("qemu/101", TestCis.ALICE)));
    JsonNode response = handle(tail.poll());

    assertThat(response.get("batchItemFailures")).isEmpty();
    List<JsonNode> onBus = drain(queue);
    assertThat(onBus).hasSize(1);
    JsonNode event = onBus.getFirst();
    assertThat(ChangeEventSchema.errors(event.toString())).isEmpty();
    assertThat(event.get("source").asString()).isEqualTo("nimbus.cmdb");
    assertThat(event.get("detail-type").asString()).isEqualTo("Nimbus CI Updated");
    assertThat(event.at("/detail/configurationItemDiff/changedProperties").toString())
        .isEqualTo(
            "[{\"path\":\"attributes.memory\",\"previousValue\":2048,\"updatedValue\":4096,"
                + "\"changeType\":\"UPDATE\"}]");
    assertThat(event.at("/detail/attribution/user").asString()).isEqualTo("alice@pve");

    List<LocalHttpsReceiver.Received> calls = receiver.received();
    assertThat(calls).hasSize(callsBefore + 1);
    LocalHttpsReceiver.Received call = calls.getLast();
    byte[] body = call.body().getBytes(StandardCharsets.UTF_8);
    assertThat(
            WebhookSigner.verify(
                SECRET,
                call.header(WebhookSigner.SIGNATURE_HEADER),
                body,
                Instant.now(),
                WebhookSigner.DEFAULT_TOLERANCE))
        .isTrue();
    JsonNode delivered = CiChangeEventJson.parse(call.body());
    assertThat(ChangeEventSchema.errors(call.body())).isEmpty();
    assertThat(call.header(WebhookSigner.EVENT_ID_HEADER))
        .isEqualTo(delivered.at("/detail/eventId").asString())
        .isEqualTo(event.at("/detail/eventId").asString());
    assertThat(delivered.at("/detail/configurationItemDiff"))
        .isEqualTo(event.at("/detail/configurationItemDiff"));
  }

  @Test
  void aFailingReceiverIsRetriedThenTheFailureIsRecordedAndCanBeReplayed() throws Exception {
    ConnectionRef lab = freshConnection();
    LocalHttpsReceiver receiver = receiver(List.of(500, 500, 500, 200));
    subscribe(lab.tenantId(), "flaky", receiver, Set.of(), Set.of());
    StreamTail tail = tail();

    cmdb().apply(snapshot(lab, Instant.parse("2026-03-01T10:00:00Z"), 2048, Map.of()));
    JsonNode response = handle(tail.poll());

    assertThat(response.get("batchItemFailures"))
        .as("a webhook that is down does not fail the stream record")
        .isEmpty();
    assertThat(receiver.received()).hasSize(3);
    assertThat(receiver.received())
        .extracting(r -> r.header(WebhookSigner.EVENT_ID_HEADER))
        .containsOnly(receiver.received().getFirst().header(WebhookSigner.EVENT_ID_HEADER));
    List<WebhookFailure> kept = failures.list(lab.tenantId(), "flaky");
    assertThat(kept).hasSize(1);
    WebhookFailure failure = kept.getFirst();
    assertThat(failure.attempts()).isEqualTo(3);
    assertThat(failure.lastStatus()).isEqualTo(500);
    assertThat(failure.detailType()).isEqualTo("Nimbus CI Created");
    assertThat(failure.body()).isEqualTo(receiver.received().getFirst().body());

    WebhookDispatcher.ReplayReport replay = dispatcher().replay(lab.tenantId(), null);

    assertThat(replay.delivered()).isEqualTo(1);
    assertThat(replay.stillFailing()).isEmpty();
    assertThat(receiver.received()).hasSize(4);
    assertThat(receiver.received().getLast().body()).isEqualTo(failure.body());
    assertThat(
            WebhookSigner.verify(
                SECRET,
                receiver.received().getLast().header(WebhookSigner.SIGNATURE_HEADER),
                failure.body().getBytes(StandardCharsets.UTF_8),
                Instant.now(),
                WebhookSigner.DEFAULT_TOLERANCE))
        .isTrue();
    assertThat(failures.list(lab.tenantId(), "flaky")).isEmpty();
  }

  @Test
  void aReceiverThatIsDownCostsOneEventsRetriesPerBatchAndKeepsEveryEvent() throws Exception {
    ConnectionRef lab = freshConnection();
    LocalHttpsReceiver receiver = receiver(List.of(503));
    subscribe(lab.tenantId(), "down", receiver, Set.of(), Set.of());
    StreamTail tail = tail();
    cmdb().apply(snapshot(lab, Instant.parse("2026-03-01T10:00:00Z"), 2048, Map.of()));
    cmdb().apply(snapshot(lab, Instant.parse("2026-03-01T10:05:00Z"), 4096, Map.of()));

    JsonNode response = handle(tail.poll());

    assertThat(response.get("batchItemFailures")).isEmpty();
    assertThat(receiver.received()).hasSize(3);
    assertThat(failures.list(lab.tenantId(), "down"))
        .extracting(
            WebhookFailure::detailType, WebhookFailure::attempts, WebhookFailure::lastStatus)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Nimbus CI Created", 3, 503),
            org.assertj.core.groups.Tuple.tuple("Nimbus CI Updated", 0, 503));
  }

  @Test
  void aBatchWithOnePoisonRecordReportsOnlyThatRecordAsFailed() throws Exception {
    ConnectionRef lab = freshConnection();
    String queue = observe(lab.tenantId());
    StreamTail tail = tail();
    cmdb().apply(snapshot(lab, Instant.parse("2026-03-01T10:00:00Z"), 2048, Map.of()));
    // A CI item the CMDB cannot have written: its state id is not a number.
    dynamo.putItem(
        b ->
            b.tableName(aws.tableName())
                .item(
                    Map.of(
                        "PK",
                            AttributeValue.fromS(
                                "CONN#" + lab.tenantId() + "#" + lab.connectionId()),
                        "SK", AttributeValue.fromS("CI#qemu/999"),
                        "itemType", AttributeValue.fromS("CI"),
                        "configurationStateId", AttributeValue.fromS("seven"))));
    List<Record> records = tail.poll();
    String poison =
        records.stream()
            .filter(r -> r.dynamodb().keys().get("SK").s().equals("CI#qemu/999"))
            .findFirst()
            .orElseThrow()
            .dynamodb()
            .sequenceNumber();

    JsonNode response = handle(records);

    assertThat(response.get("batchItemFailures")).hasSize(1);
    assertThat(response.at("/batchItemFailures/0/itemIdentifier").asString()).isEqualTo(poison);
    List<JsonNode> onBus = drain(queue);
    assertThat(onBus)
        .extracting(e -> e.get("detail-type").asString())
        .containsExactly("Nimbus CI Created");
  }

  @Test
  void aRedeliveredRecordYieldsTheSameEventId() throws Exception {
    ConnectionRef lab = freshConnection();
    String queue = observe(lab.tenantId());
    LocalHttpsReceiver receiver = receiver(List.of(200));
    subscribe(lab.tenantId(), "audit", receiver, Set.of(), Set.of());
    StreamTail tail = tail();
    cmdb().apply(snapshot(lab, Instant.parse("2026-03-01T10:00:00Z"), 2048, Map.of()));
    List<Record> records = tail.poll();

    handle(records);
    handle(records);

    List<JsonNode> onBus = drain(queue);
    assertThat(onBus).hasSize(2);
    assertThat(onBus.get(0).get("id").asString())
        .as("EventBridge gives each put its own id")
        .isNotEqualTo(onBus.get(1).get("id").asString());
    assertThat(onBus.get(0).at("/detail/eventId").asString())
        .isEqualTo(onBus.get(1).at("/detail/eventId").asString());
    assertThat(receiver.received())
        .extracting(r -> r.header(WebhookSigner.EVENT_ID_HEADER))
        .containsExactly(
            onBus.get(0).at("/detail/eventId").asString(),
            onBus.get(0).at("/detail/eventId").asString());
  }

  @Test
  void theLocalDrainTurnsTheStreamRecordsOfARunIntoEvents() {
    ConnectionRef lab = freshConnection();
    StreamTail tail = tail();
    cmdb().apply(snapshot(lab, Instant.parse("2026-03-01T10:00:00Z"), 2048, Map.of()));
    cmdb()
        .apply(
            snapshot(
                lab,
                Instant.parse("2026-03-01T10:05:00Z"),
                4096,
                Map.of("qemu/101", TestCis.ALICE)));
    List<Record> records = tail.poll();

    List<CiChangeEvent> events =
        CiEventsLocal.toEvents(records.stream().map(CiEventsLocal::changeRecord).toList());

    assertThat(events)
        .extracting(CiChangeEvent::summary)
        .containsExactly(
            "CREATED qemu/101 web-1",
            "UPDATED qemu/101 web-1: attributes.memory 2048 -> 4096 by alice@pve ("
                + TestCis.UPID
                + ")");
  }

  // ---------------------------------------------------------------- helpers

  private static ConnectionRef freshConnection() {
    return new ConnectionRef(
        "t" + TENANTS.incrementAndGet() + "-" + System.nanoTime() % 100000, "lab");
  }

  private static CmdbService cmdb() {
    return new CmdbService(
        new DynamoDbCiRepository(dynamo, aws.tableName(), CmdbSettings.defaults()),
        CmdbSettings.defaults(),
        Clock.systemUTC());
  }

  private static DiscoverySnapshot snapshot(
      ConnectionRef lab, Instant at, int memory, Map<String, Attribution> attributions) {
    ConfigurationItem web1 = TestCis.web1(lab, Map.of("memory", memory));
    return new DiscoverySnapshot(
        lab, at, List.of(web1), Set.of("node/pve1"), Set.of(), attributions, List.of(), null, 0);
  }

  private static StreamTail tail() {
    return new StreamTail(dynamo, streams, aws.tableName()).skipToEnd();
  }

  private static JsonNode handle(List<Record> records) throws Exception {
    String event =
        LambdaStreamEvents.toJson(
            records, "arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/1");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // What the function writes (JSON log lines, the batch's metric record) is checked on every
    // invocation: one JSON object per line, and never the webhook signing secret.
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    System.setOut(new PrintStream(written, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
    try {
      invoker.handleRequest(
          new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    String output = written.toString(StandardCharsets.UTF_8);
    assertThat(output + errors.toString(StandardCharsets.UTF_8)).doesNotContain(SECRET);
    assertThat(output.lines().filter(l -> !l.isBlank()))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(CiChangeEventJson.parse(l).isObject()).as(l).isTrue());
    stdout.print(output);
    return CiChangeEventJson.parse(out.toString(StandardCharsets.UTF_8));
  }

  private static LocalHttpsReceiver receiver(List<Integer> statuses) {
    LocalHttpsReceiver receiver = LocalHttpsReceiver.answering(certificate, statuses);
    receivers.add(receiver);
    return receiver;
  }

  private static void subscribe(
      String tenant,
      String id,
      LocalHttpsReceiver receiver,
      Set<SemanticType> types,
      Set<dev.nimbus.cmdb.ChangeKind> kinds) {
    subscriptions.save(
        new WebhookSubscription(
            tenant,
            id,
            receiver.url("localhost", "/hooks/" + id),
            types,
            kinds,
            true,
            Instant.now()),
        Secret.of(SECRET));
  }

  private static WebhookDispatcher dispatcher() {
    return new WebhookDispatcher(
        subscriptions,
        failures,
        UrlPolicy.of(true, List.of()),
        new HttpsPoster(
            WebhookTls.trusting(trustPem), Duration.ofSeconds(2), Duration.ofSeconds(5)),
        new Backoff(3, Duration.ofMillis(20), Duration.ofMillis(100), Thread::sleep),
        Clock.systemUTC());
  }

  /** A queue that receives every event of {@code tenant} put on the bus. */
  private static String observe(String tenant) {
    String name = "q-" + tenant;
    String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
    String arn =
        sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    String rule = "r-" + tenant;
    eventBridge.putRule(
        b ->
            b.name(rule)
                .eventBusName(busName)
                .eventPattern(
                    "{\"source\":[\"nimbus.cmdb\"],\"detail\":{\"tenantId\":[\""
                        + tenant
                        + "\"]}}"));
    eventBridge.putTargets(
        b -> b.rule(rule).eventBusName(busName).targets(t -> t.id("q").arn(arn)));
    return url;
  }

  /** Everything in the queue now, parsed, removed from the queue. */
  private static List<JsonNode> drain(String queueUrl) {
    List<JsonNode> out = new ArrayList<>();
    while (true) {
      List<Message> messages =
          sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
              .messages();
      if (messages.isEmpty()) {
        return out;
      }
      for (Message m : messages) {
        out.add(CiChangeEventJson.parse(m.body()));
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
  }
}
