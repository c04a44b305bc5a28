package dev.nimbus.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.aws.StreamTail;
import dev.nimbus.cmdb.CmdbService;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.KmsEnvelopeTokenCipher;
import dev.nimbus.events.testing.ChangeEventSchema;
import dev.nimbus.events.testing.TestCis;
import dev.nimbus.events.webhook.WebhookReplayer;
import dev.nimbus.events.webhook.WebhookSender;
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
import dev.nimbus.testing.https.TricklingHttpsReceiver;
import dev.nimbus.testing.lambda.LambdaStreamEvents;
import dev.nimbus.webhooks.DeliveryMessage;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stream-to-bus-and-webhooks path on the AWS emulator: CIs written by the real CMDB, stream
 * records read with {@link StreamTail}, handed as a Lambda event to the real stream handler ({@code
 * ciEvents}) through {@code FunctionInvoker}; what it queued on the delivery queue is received as
 * Lambda's event source mapping would and handed to the real delivery handler ({@code
 * deliverWebhooks}), which deletes the messages it did not report as failed. An SQS queue behind a
 * rule on the bus shows what was published, and local HTTPS receivers (self-signed BouncyCastle
 * certificate, trusted through configuration) show the webhook calls. Every invocation's output is
 * searched for the signing secret, and so is every queued message.
 */
@ExtendWith(AwsEmulatorExtension.class)
class CiEventsIT {
  private static final String SECRET = "whsec-it-5f2b9c0e7a";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  // Long enough for a prompt receiver on a loaded 2-core build machine, short enough to keep the
  // slow-receiver test's three attempts brief.
  private static final Duration DEADLINE = Duration.ofSeconds(3);
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
  private static FunctionInvoker deliveryInvoker;
  private static String deliveryQueue;
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
    deliveryQueue =
        sqs.createQueue(
                b ->
                    b.queueName(aws.tableName() + "-deliveries")
                        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30")))
            .queueUrl();
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
            Map.entry("nimbus.events.webhook-delivery-queue-url", deliveryQueue),
            Map.entry("nimbus.events.webhook-deadline", DEADLINE.toString()),
            Map.entry("nimbus.events.webhook-max-attempts", "3"),
            // The queue hands a failed delivery back at once here; deployed, after 30 s, 60 s, ...
            Map.entry("nimbus.events.webhook-retry-delay", "0s"),
            Map.entry("nimbus.events.webhook-max-retry-delay", "0s"),
            Map.entry("nimbus.events.webhook-backoff", "20ms"),
            Map.entry("aws.accessKeyId", "test"),
            Map.entry("aws.secretAccessKey", "test"));
    props.forEach(System::setProperty);
    invoker = new FunctionInvoker("ciEvents");
    System.setProperty("spring.cloud.function.definition", "deliverWebhooks");
    deliveryInvoker = new FunctionInvoker("deliverWebhooks");
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
            "nimbus.events.webhook-delivery-queue-url",
            "nimbus.events.webhook-deadline",
            "nimbus.events.webhook-max-attempts",
            "nimbus.events.webhook-retry-delay",
            "nimbus.events.webhook-max-retry-delay",
            "nimbus.events.webhook-backoff",
            "aws.accessKeyId",
            "aws.secretAccessKey")) {
      System.clearProperty(p);
    }
  }

  /** Each test starts with an empty delivery queue, whatever an earlier test left on it. */
  @BeforeEach
  void emptyTheDeliveryQueue() {
    try {
      sqs.purgeQueue(b -> b.queueUrl(deliveryQueue));
    } catch (software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException e) {
      // SQS (and LocalStack) allow one purge a minute: take what is visible instead.
      for (List<Message> m = receiveDeliveries(); !m.isEmpty(); m = receiveDeliveries()) {
        m.forEach(
            x ->
                sqs.deleteMessage(b -> b.queueUrl(deliveryQueue).receiptHandle(x.receiptHandle())));
      }
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
    assertThat(receiver.received())
        .as("the stream function calls no receiver")
        .hasSize(callsBefore);
    // Received once, as the event source mapping would, and handed to the delivery function.
    List<Message> queued = receiveDeliveries();
    assertThat(queued).hasSize(1);
    List<JsonNode> onBus = drain(queue);
    assertThat(onBus).hasSize(1);
    JsonNode event = onBus.getFirst();
    Message message = queued.getFirst();
    assertThat(attribute(message, DeliveryMessage.TENANT)).isEqualTo(lab.tenantId());
    assertThat(attribute(message, DeliveryMessage.WEBHOOK)).isEqualTo("ops");
    assertThat(attribute(message, DeliveryMessage.EVENT))
        .isEqualTo(event.at("/detail/eventId").asString());
    assertThat(CiChangeEventJson.parse(message.body()).get("detail"))
        .as("the queued body is the event as on the bus")
        .isEqualTo(event.get("detail"));

    JsonNode answer = deliverOnce(queued);

    assertThat(answer.get("batchItemFailures")).isEmpty();
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
    assertThat(call.header(WebhookSender.ATTEMPT_HEADER)).isEqualTo("1");
    assertThat(peekDeliveries()).as("a delivered message is deleted").isEmpty();
  }

  @Test
  void aFailingReceiverIsRetriedThenTheFailureIsRecordedAndCanBeReplayed() throws Exception {
    ConnectionRef lab = freshConnection();
    LocalHttpsReceiver receiver = receiver(List.of(500, 500, 500, 200));
    subscribe(lab.tenantId(), "flaky", receiver, Set.of(), Set.of());
    StreamTail tail = tail();

    cmdb().apply(snapshot(lab, Instant.parse("2026-03-01T10:00:00Z"), 2048, Map.of()));
    JsonNode response = handle(tail.poll());
    assertThat(response.get("batchItemFailures")).isEmpty();

    List<JsonNode> answers = deliverAll();

    assertThat(answers)
        .as("two receives handed back for a retry, the third kept")
        .extracting(a -> a.get("batchItemFailures").size())
        .containsExactly(1, 1, 0);
    assertThat(receiver.received()).hasSize(3);
    assertThat(receiver.received())
        .extracting(r -> r.header(WebhookSender.ATTEMPT_HEADER))
        .containsExactly("1", "2", "3");
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

    WebhookReplayer.ReplayReport replay = replayer().replay(lab.tenantId(), null);

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
  void aReceiverThatIsDownCostsOneAttemptPerDeliveryBatchAndKeepsEveryEvent() throws Exception {
    ConnectionRef lab = freshConnection();
    LocalHttpsReceiver receiver = receiver(List.of(503));
    subscribe(lab.tenantId(), "down", receiver, Set.of(), Set.of());
    StreamTail tail = tail();
    cmdb().apply(snapshot(lab, Instant.parse("2026-03-01T10:00:00Z"), 2048, Map.of()));
    cmdb().apply(snapshot(lab, Instant.parse("2026-03-01T10:05:00Z"), 4096, Map.of()));

    JsonNode response = handle(tail.poll());
    assertThat(response.get("batchItemFailures")).isEmpty();
    List<Message> queued = receiveDeliveries();
    assertThat(queued).hasSize(2);

    deliverOnce(queued);
    deliverAll();

    assertThat(receiver.received())
        .as("per receive of the two messages, the first is tried and the second waits")
        .hasSize(3);
    assertThat(failures.list(lab.tenantId(), "down"))
        .extracting(
            WebhookFailure::detailType, WebhookFailure::attempts, WebhookFailure::lastStatus)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Nimbus CI Created", 3, 503),
            org.assertj.core.groups.Tuple.tuple("Nimbus CI Updated", 3, 503));
    assertThat(peekDeliveries()).isEmpty();
  }

  /**
   * The acceptance test of issue 17, point 3: one tenant's receiver trickles {@code 100 Continue}
   * lines forever, another's answers at once. The stream batch holds both tenants' changes and
   * calls neither receiver; the first delivery batch completes every delivery of the prompt tenant
   * while the slow one is cut off by the deadline, and the slow tenant's deliveries end as kept
   * failures after their retries, with the deadline as their reason.
   */
  @Test
  // Without the deadline the trickling receiver would hold the first delivery forever: the
  // timeout makes that a failure instead of a hung build.
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aReceiverThatTricklesForeverDelaysNoOtherTenantAndEndsAsAKeptFailure() throws Exception {
    ConnectionRef slowLab = freshConnection();
    ConnectionRef promptLab = freshConnection();
    String slowBus = observe(slowLab.tenantId());
    String promptBus = observe(promptLab.tenantId());
    TricklingHttpsReceiver slow =
        TricklingHttpsReceiver.start(
            certificate, TricklingHttpsReceiver.Mode.CONTINUE_LINES, Duration.ofMillis(100));
    try {
      subscribeUrl(slowLab.tenantId(), "slow", slow.url("localhost", "/hooks/slow"));
      LocalHttpsReceiver prompt = receiver(List.of(200));
      subscribe(promptLab.tenantId(), "prompt", prompt, Set.of(), Set.of());
      StreamTail tail = tail();
      for (ConnectionRef lab : List.of(slowLab, promptLab)) {
        cmdb().apply(snapshot(lab, Instant.parse("2026-03-01T10:00:00Z"), 2048, Map.of()));
        cmdb().apply(snapshot(lab, Instant.parse("2026-03-01T10:05:00Z"), 4096, Map.of()));
      }

      JsonNode streamAnswer = handle(tail.poll());

      assertThat(streamAnswer.get("batchItemFailures")).isEmpty();
      assertThat(drain(slowBus)).hasSize(2);
      assertThat(drain(promptBus)).hasSize(2);
      assertThat(slow.requests() + prompt.received().size())
          .as("no receiver is called on the stream's path")
          .isZero();
      List<Message> queued = receiveDeliveries();
      assertThat(queued)
          .extracting(m -> attribute(m, DeliveryMessage.TENANT))
          .containsExactlyInAnyOrder(
              slowLab.tenantId(), slowLab.tenantId(), promptLab.tenantId(), promptLab.tenantId());

      // The first delivery batch, as the event source mapping hands it over: all four messages.
      JsonNode first = deliverOnce(queued);

      assertThat(prompt.received())
          .as("every delivery of the prompt tenant completed in the first batch")
          .hasSize(2);
      assertThat(failedTenants(first, queued))
          .as("only the slow tenant's messages are handed back")
          .containsExactly(slowLab.tenantId(), slowLab.tenantId());
      assertThat(slow.requests()).as("its second message waited for a later batch").isEqualTo(1);

      deliverAll();

      assertThat(prompt.received()).as("nothing was sent twice").hasSize(2);
      assertThat(failures.list(promptLab.tenantId(), null)).isEmpty();
      List<WebhookFailure> kept = failures.list(slowLab.tenantId(), "slow");
      assertThat(kept).hasSize(2);
      assertThat(kept)
          .allSatisfy(
              f -> {
                assertThat(f.attempts()).isEqualTo(3);
                assertThat(f.lastStatus()).isZero();
                assertThat(f.lastError()).contains("deadline of 3000 ms exceeded");
                assertThat(f.body() + f.lastError() + f).doesNotContain(SECRET);
              });
      assertThat(slow.requests()).as("one attempt per delivery batch").isEqualTo(3);
      assertThat(peekDeliveries()).isEmpty();
    } finally {
      slow.close();
    }
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
    deliverAll();

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
    return invoke(invoker, event);
  }

  private static JsonNode invoke(FunctionInvoker function, String event) throws Exception {
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
      function.handleRequest(
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
    String answer = out.toString(StandardCharsets.UTF_8);
    assertThat(answer).doesNotContain(SECRET);
    return CiChangeEventJson.parse(answer);
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

  private static WebhookReplayer replayer() {
    return new WebhookReplayer(
        subscriptions,
        failures,
        UrlPolicy.of(true, List.of()),
        new WebhookSender(
            new HttpsPoster(
                WebhookTls.trusting(trustPem),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                DEADLINE),
            Clock.systemUTC()),
        new Backoff(3, Duration.ofMillis(20), Duration.ofMillis(100), Thread::sleep),
        Clock.systemUTC());
  }

  private static void subscribeUrl(String tenant, String id, java.net.URI url) {
    subscriptions.save(
        new WebhookSubscription(tenant, id, url, Set.of(), Set.of(), true, Instant.now()),
        Secret.of(SECRET));
  }

  // ---------------------------------------------------------------- the delivery queue

  /** The messages on the delivery queue now, left on it (visible again at once). */
  private static List<Message> peekDeliveries() {
    List<Message> messages = receiveDeliveries();
    for (Message m : messages) {
      sqs.changeMessageVisibility(
          b -> b.queueUrl(deliveryQueue).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    }
    return messages;
  }

  /** Up to ten visible deliveries, with the attributes Lambda's event source mapping passes on. */
  private static List<Message> receiveDeliveries() {
    List<Message> messages =
        sqs.receiveMessage(
                b ->
                    b.queueUrl(deliveryQueue)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(0)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All"))
            .messages();
    for (Message m : messages) {
      assertThat(m.body() + m.messageAttributes()).doesNotContain(SECRET);
    }
    return messages;
  }

  /**
   * Hands received messages to the delivery function as one SQS event and, as the event source
   * mapping does, deletes those it did not report as failed.
   */
  private static JsonNode deliverOnce(List<Message> messages) throws Exception {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode records = root.putArray("Records");
    for (Message m : messages) {
      ObjectNode r = records.addObject();
      r.put("messageId", m.messageId());
      r.put("receiptHandle", m.receiptHandle());
      r.put("body", m.body());
      ObjectNode attributes = r.putObject("attributes");
      m.attributesAsStrings().forEach(attributes::put);
      ObjectNode messageAttributes = r.putObject("messageAttributes");
      m.messageAttributes()
          .forEach(
              (name, value) -> {
                ObjectNode a = messageAttributes.putObject(name);
                a.put("stringValue", value.stringValue());
                a.putArray("stringListValues");
                a.putArray("binaryListValues");
                a.put("dataType", value.dataType());
              });
      r.put("md5OfBody", m.md5OfBody());
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", "arn:aws:sqs:" + aws.region() + ":000000000000:deliveries");
      r.put("awsRegion", aws.region());
    }
    JsonNode answer = invoke(deliveryInvoker, JSON.writeValueAsString(root));
    Set<String> failed = new java.util.HashSet<>();
    answer.get("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asString()));
    for (Message m : messages) {
      if (!failed.contains(m.messageId())) {
        sqs.deleteMessage(b -> b.queueUrl(deliveryQueue).receiptHandle(m.receiptHandle()));
      }
    }
    return answer;
  }

  /** Delivery batches until the queue is empty; their answers. */
  private static List<JsonNode> deliverAll() throws Exception {
    List<JsonNode> answers = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      List<Message> messages = receiveDeliveries();
      if (messages.isEmpty()) {
        return answers;
      }
      answers.add(deliverOnce(messages));
    }
    throw new AssertionError("the delivery queue did not empty in 20 batches");
  }

  private static String attribute(Message m, String name) {
    return m.messageAttributes().get(name).stringValue();
  }

  private static List<String> failedTenants(JsonNode answer, List<Message> queued) {
    Map<String, String> tenantOf = new java.util.HashMap<>();
    queued.forEach(m -> tenantOf.put(m.messageId(), attribute(m, DeliveryMessage.TENANT)));
    List<String> tenants = new ArrayList<>();
    answer
        .get("batchItemFailures")
        .forEach(f -> tenants.add(tenantOf.get(f.get("itemIdentifier").asString())));
    return tenants;
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
