package dev.nimbus.pulumi.runner.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.aws.TableKeys;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.KmsEnvelopeTokenCipher;
import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.deployments.drift.DriftClass;
import dev.nimbus.deployments.drift.DriftProperty;
import dev.nimbus.deployments.drift.DriftStatus;
import dev.nimbus.deployments.dynamodb.DynamoDbDriftStore;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import dev.nimbus.model.SemanticType;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.https.LocalHttpsReceiver;
import dev.nimbus.testing.https.TestCertificates;
import dev.nimbus.webhooks.DeliveryMessage;
import dev.nimbus.webhooks.DeliveryQueueSender;
import dev.nimbus.webhooks.UrlPolicy;
import dev.nimbus.webhooks.WebhookSubscription;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drift output on the AWS emulator: records in the table exactly as template.yaml declares it,
 * events on an EventBridge bus (read back through a rule and an SQS queue, and validated against
 * the schema), and webhook deliveries queued for the delivery function (shared/webhooks).
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriftOutputIT {
  static final ConnectionRef LAB = new ConnectionRef("acme", "lab");
  static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
  static final JsonMapper JSON = JsonMapper.builder().build();

  AwsTestEnvironment aws;
  DynamoDbClient dynamo;
  DynamoDbDriftStore store;

  @BeforeAll
  void setUp(AwsTestEnvironment aws) {
    this.aws = aws;
    dynamo = aws.clients().dynamoDb();
    store = new DynamoDbDriftStore(dynamo, aws.tableName(), Duration.ofDays(30));
  }

  static Drift memory(ConnectionRef ref, int current) {
    return new Drift(
        ref,
        "nimbus-vm/acme.lab",
        "qemu/130",
        "urn:pulumi:acme.lab::nimbus-vm::proxmoxve:index/vmLegacy:VmLegacy::app-01",
        "proxmoxve:index/vmLegacy:VmLegacy",
        "COMPUTE",
        DriftClass.MANAGED_FIELD_CHANGE,
        List.of(
            new DriftProperty("memory.dedicated", 4096L, (long) current, true, "engine"),
            new DriftProperty(
                "attributes.tags", List.of("prod"), List.of("prod", "web"), false, "cmdb")),
        "alice@pve",
        "UPID:pve1:0001E883:062E18CF:6B0D4A6C:qmconfig:130:alice@pve:",
        "run up to restore the program's values",
        null,
        DriftStatus.OPEN,
        T0,
        null);
  }

  static Drift unmanaged(ConnectionRef ref, String key) {
    return new Drift(
        ref,
        Drift.UNMANAGED_STACK,
        key,
        null,
        null,
        "COMPUTE",
        DriftClass.UNMANAGED,
        List.of(),
        null,
        null,
        "listed only",
        null,
        DriftStatus.OPEN,
        T0,
        null);
  }

  @Test
  void recordsAreReadBackWholePerConnectionAndStackAndResolvedOnesExpire() {
    ConnectionRef ref = new ConnectionRef("acme", "store");
    Drift open = memory(ref, 8192);
    store.put(open);
    store.put(unmanaged(ref, "qemu/101"));
    Drift resolved = unmanaged(ref, "qemu/102").resolved(T0.plusSeconds(60));
    store.put(resolved);

    assertThat(store.byStack(ref, "nimbus-vm/acme.lab")).containsExactly(open);
    assertThat(store.byStack(ref, Drift.UNMANAGED_STACK))
        .containsExactly(unmanaged(ref, "qemu/101"), resolved);
    assertThat(store.byConnection(ref)).hasSize(3);
    assertThat(store.byConnection(new ConnectionRef("other", "store"))).isEmpty();
    assertThat(store.writes()).isEqualTo(3);

    Map<String, AttributeValue> item =
        dynamo
            .getItem(
                b ->
                    b.tableName(aws.tableName())
                        .key(
                            Map.of(
                                TableKeys.PK,
                                AttributeValue.fromS("CONN#acme#store"),
                                TableKeys.SK,
                                AttributeValue.fromS("DRIFT#nimbus-vm/acme.lab#qemu/130"))))
            .item();
    assertThat(item.get("itemType").s()).isEqualTo("DRIFT");
    assertThat(item).doesNotContainKey(TableKeys.EXPIRES_AT);
    Map<String, AttributeValue> gone =
        dynamo
            .getItem(
                b ->
                    b.tableName(aws.tableName())
                        .key(
                            Map.of(
                                TableKeys.PK,
                                AttributeValue.fromS("CONN#acme#store"),
                                TableKeys.SK,
                                AttributeValue.fromS("DRIFT#-#qemu/102"))))
            .item();
    assertThat(Long.parseLong(gone.get(TableKeys.EXPIRES_AT).n()))
        .isEqualTo(T0.plusSeconds(60).plus(Duration.ofDays(30)).getEpochSecond());
    // The CMDB's reads of the partition never see drift records.
    assertThat(
            new DynamoDbCiRepository(dynamo, aws.tableName(), CmdbSettings.defaults())
                .allOfConnection(ref))
        .isEmpty();
  }

  @Test
  void eventsReachTheBusSchemaValidInAsFewCallsAsPutEventsAllows() {
    EventBridgeClient bridge = aws.clients().eventBridge();
    SqsClient sqs = aws.clients().sqs();
    String bus = "drift-bus";
    bridge.createEventBus(b -> b.name(bus));
    String url = sqs.createQueue(b -> b.queueName("drift-q")).queueUrl();
    String arn =
        sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    bridge.putRule(
        b -> b.name("drift").eventBusName(bus).eventPattern("{\"source\":[\"nimbus.drift\"]}"));
    bridge.putTargets(b -> b.rule("drift").eventBusName(bus).targets(t -> t.id("q").arn(arn)));

    List<DriftEvents.Event> events = new ArrayList<>();
    events.add(new DriftEvents.Event(memory(LAB, 8192), T0));
    events.add(new DriftEvents.Event(memory(LAB, 2048).resolved(T0.plusSeconds(5)), T0));
    for (int i = 0; i < 10; i++) {
      events.add(new DriftEvents.Event(unmanaged(LAB, "qemu/" + (200 + i)), T0));
    }
    EventBridgeDriftNotifier notifier = new EventBridgeDriftNotifier(bridge, bus);

    assertThat(notifier.send(events)).isEmpty();
    assertThat(notifier.calls()).isEqualTo(2);

    List<JsonNode> received = new ArrayList<>();
    for (int tries = 0; tries < 20 && received.size() < events.size(); tries++) {
      List<Message> messages =
          sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
              .messages();
      for (Message m : messages) {
        assertThat(DriftEventSchema.errors(m.body())).as(m.body()).isEmpty();
        received.add(JSON.readTree(m.body()));
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
    }
    assertThat(received).hasSize(12);
    assertThat(received.stream().map(n -> n.get("detail-type").asString()))
        .containsOnly(DriftEvents.DETECTED, DriftEvents.RESOLVED);
    JsonNode managed =
        received.stream()
            .filter(n -> n.at("/detail/driftClass").asString().equals("MANAGED_FIELD_CHANGE"))
            .filter(n -> n.at("/detail/status").asString().equals("DETECTED"))
            .findFirst()
            .orElseThrow();
    assertThat(managed.at("/detail/attribution/user").asString()).isEqualTo("alice@pve");
    assertThat(managed.at("/detail/properties/0/currentValue").asLong()).isEqualTo(8192);
    assertThat(managed.at("/detail/properties/1/currentValue").size()).isEqualTo(2);
    assertThat(managed.at("/detail/alarm").asBoolean()).isTrue();
  }

  @Test
  void driftEventsForWebhooksAreQueuedOnePerMatchingWebhookAndNoReceiverIsCalledHere()
      throws Exception {
    TestCertificates cert = TestCertificates.selfSigned("localhost", "127.0.0.1");
    var policy = UrlPolicy.of(true, List.of());
    var subscriptions =
        new WebhookSubscriptionRepository(
            dynamo,
            aws.tableName(),
            new KmsEnvelopeTokenCipher(aws.clients().kms(), aws.keyAlias()),
            policy);
    SqsClient sqs = aws.clients().sqs();
    String queue = sqs.createQueue(b -> b.queueName("drift-webhook-deliveries")).queueUrl();
    String secret = "whsec-drift-0123456789";
    try (LocalHttpsReceiver ops = LocalHttpsReceiver.answering(cert, 204);
        LocalHttpsReceiver slow = LocalHttpsReceiver.answering(cert, 503);
        LocalHttpsReceiver storage = LocalHttpsReceiver.answering(cert, 204);
        LocalHttpsReceiver ciOnly = LocalHttpsReceiver.answering(cert, 204)) {
      ConnectionRef ref = new ConnectionRef("hooks", "lab");
      subscriptions.save(
          new WebhookSubscription(
              "hooks", "ops", ops.url("localhost", "/ops"), Set.of(), Set.of(), true, T0),
          Secret.of(secret));
      subscriptions.save(
          new WebhookSubscription(
              "hooks", "slow", slow.url("localhost", "/slow"), Set.of(), Set.of(), true, T0),
          Secret.of(secret));
      // Filters that a compute drift does not match: another semantic type; CI change kinds.
      subscriptions.save(
          new WebhookSubscription(
              "hooks",
              "storage",
              storage.url("localhost", "/s"),
              Set.of(SemanticType.STORAGE),
              Set.of(),
              true,
              T0),
          Secret.of(secret));
      subscriptions.save(
          new WebhookSubscription(
              "hooks",
              "ci-only",
              ciOnly.url("localhost", "/c"),
              Set.of(),
              Set.of(dev.nimbus.cmdb.ChangeKind.UPDATED),
              true,
              T0),
          Secret.of(secret));
      var notifier = new QueuedDriftNotifier(subscriptions, new DeliveryQueueSender(sqs, queue));
      DriftEvents.Event event = new DriftEvents.Event(memory(ref, 8192), T0);

      assertThat(notifier.send(List.of(event))).isEmpty();

      // Nothing was called from the drift check: a receiver that answers slowly or not at all
      // cannot hold the stream batch every tenant's drift checks share.
      assertThat(ops.received()).isEmpty();
      assertThat(slow.received()).isEmpty();
      List<Message> queued = new ArrayList<>();
      for (int tries = 0; tries < 10 && queued.size() < 2; tries++) {
        List<Message> messages =
            sqs.receiveMessage(
                    b ->
                        b.queueUrl(queue)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .messageAttributeNames("All"))
                .messages();
        queued.addAll(messages);
        messages.forEach(
            m -> sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle())));
      }
      List<DeliveryMessage> deliveries =
          queued.stream()
              .map(
                  m -> {
                    Map<String, String> attributes = new java.util.HashMap<>();
                    m.messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
                    return DeliveryMessage.of(attributes, m.body());
                  })
              .toList();
      assertThat(deliveries)
          .extracting(DeliveryMessage::webhookId)
          .containsExactlyInAnyOrder("ops", "slow");
      assertThat(deliveries)
          .allSatisfy(
              d -> {
                assertThat(d.tenantId()).isEqualTo("hooks");
                assertThat(d.eventId()).isEqualTo(event.eventId());
                assertThat(d.detailType()).isEqualTo(DriftEvents.DETECTED);
                // The body is what the delivery function POSTs and signs, as it is.
                assertThat(d.body()).isEqualTo(DriftEvents.envelope(event));
                assertThat(DriftEventSchema.errors(d.body())).isEmpty();
                assertThat(d.body()).doesNotContain(secret);
              });
    }
  }

  @Test
  void anEventWhoseDeliveriesCannotBeQueuedIsReturnedUnsettled() {
    var subscriptions =
        new WebhookSubscriptionRepository(
            dynamo,
            aws.tableName(),
            new KmsEnvelopeTokenCipher(aws.clients().kms(), aws.keyAlias()),
            UrlPolicy.of(true, List.of()));
    subscriptions.save(
        new WebhookSubscription(
            "lost",
            "ops",
            java.net.URI.create("https://localhost:9/ops"),
            Set.of(),
            Set.of(),
            true,
            T0),
        Secret.of("whsec-lost-0123456789"));
    SqsClient sqs = aws.clients().sqs();
    // A queue that does not exist: every send fails, as when SQS is unavailable.
    String missing = sqs.createQueue(b -> b.queueName("drift-gone")).queueUrl() + "-missing";
    var notifier = new QueuedDriftNotifier(subscriptions, new DeliveryQueueSender(sqs, missing));
    DriftEvents.Event event =
        new DriftEvents.Event(memory(new ConnectionRef("lost", "lab"), 8192), T0);

    assertThat(notifier.send(List.of(event))).containsExactly(event);
  }
}
