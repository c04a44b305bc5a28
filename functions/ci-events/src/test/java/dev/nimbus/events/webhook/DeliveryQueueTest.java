package dev.nimbus.events.webhook;

import static dev.nimbus.events.testing.TestCis.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.connections.EncryptedSecret;
import dev.nimbus.events.CiChangeEvent;
import dev.nimbus.events.CiChangeEventJson;
import dev.nimbus.events.testing.TestCis;
import dev.nimbus.model.Attribution;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.SemanticType;
import dev.nimbus.webhooks.DeliveryMessage;
import dev.nimbus.webhooks.DeliveryQueueSender;
import dev.nimbus.webhooks.WebhookSubscription;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * The stream function's side of delivery without an emulator: which (webhook, event) pairs are
 * queued, how they are batched, what a message carries, and which events are handed back to the
 * stream when queueing fails.
 */
class DeliveryQueueTest {
  private static final String QUEUE = "https://sqs.eu-central-1.amazonaws.com/1/deliveries";

  /** Records SendMessageBatch calls; {@code rejecting} decides per entry whether SQS refuses it. */
  private static final class RecordingSqs implements SqsClient {
    final List<SendMessageBatchRequest> calls = new ArrayList<>();
    Predicate<SendMessageBatchRequestEntry> rejecting = e -> false;

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
      calls.add(request);
      List<SendMessageBatchResultEntry> ok = new ArrayList<>();
      List<BatchResultErrorEntry> failed = new ArrayList<>();
      for (SendMessageBatchRequestEntry e : request.entries()) {
        if (rejecting.test(e)) {
          failed.add(
              BatchResultErrorEntry.builder()
                  .id(e.id())
                  .code("InternalError")
                  .senderFault(false)
                  .build());
        } else {
          ok.add(SendMessageBatchResultEntry.builder().id(e.id()).messageId("m" + e.id()).build());
        }
      }
      return SendMessageBatchResponse.builder().successful(ok).failed(failed).build();
    }

    @Override
    public String serviceName() {
      return "sqs";
    }

    @Override
    public void close() {}
  }

  private static WebhookSubscriptionRepository.Stored webhook(
      String tenant, String id, Set<SemanticType> types, boolean enabled) {
    return new WebhookSubscriptionRepository.Stored(
        new WebhookSubscription(
            tenant,
            id,
            URI.create("https://hooks.example.com/" + id),
            types,
            Set.of(),
            enabled,
            T0),
        new EncryptedSecret(1, "alias/k", new byte[] {1}, new byte[12], new byte[] {2}));
  }

  private static List<CiChangeEvent> events(String tenant, int n, Map<String, Object> extra) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                CiChangeEvent.of(
                    ChangeKind.UPDATED,
                    TestCis.web1(new ConnectionRef(tenant, "lab"), extra),
                    i + 1,
                    List.of(),
                    T0,
                    Attribution.UNKNOWN))
        .toList();
  }

  @Test
  void oneMessagePerMatchingWebhookAndEventInBatchesOfAtMostTen() {
    RecordingSqs sqs = new RecordingSqs();
    Map<String, List<WebhookSubscriptionRepository.Stored>> hooks =
        Map.of(
            "acme",
            List.of(
                webhook("acme", "all", Set.of(), true),
                webhook("acme", "compute", Set.of(SemanticType.COMPUTE), true),
                webhook("acme", "storage-only", Set.of(SemanticType.STORAGE), true),
                webhook("acme", "off", Set.of(), false)));
    List<CiChangeEvent> events = events("acme", 12, Map.of());

    DeliveryQueue.Report report = new DeliveryQueue(hooks::get, sqs, QUEUE).enqueue(events);

    assertThat(report.queued()).isEqualTo(24);
    assertThat(report.unsettled()).isEmpty();
    assertThat(sqs.calls).extracting(c -> c.entries().size()).containsExactly(10, 10, 4);
    assertThat(sqs.calls).allSatisfy(c -> assertThat(c.queueUrl()).isEqualTo(QUEUE));
    List<SendMessageBatchRequestEntry> entries =
        sqs.calls.stream().flatMap(c -> c.entries().stream()).toList();
    assertThat(entries)
        .extracting(e -> e.messageAttributes().get(DeliveryMessage.WEBHOOK).stringValue())
        .containsOnly("all", "compute");
    SendMessageBatchRequestEntry first = entries.getFirst();
    assertThat(first.messageGroupId()).as("the tenant: a fair queue").isEqualTo("acme");
    assertThat(first.messageAttributes().get(DeliveryMessage.EVENT).stringValue())
        .isEqualTo(events.getFirst().eventId());
    assertThat(first.messageAttributes().get(DeliveryMessage.DETAIL_TYPE).stringValue())
        .isEqualTo("Nimbus CI Updated");
    assertThat(first.messageBody())
        .as("exactly the body that is signed and POSTed")
        .isEqualTo(CiChangeEventJson.envelope(events.getFirst()));
  }

  @Test
  void largeEventsAreSplitSoNoCallPassesTheBatchLimit() {
    RecordingSqs sqs = new RecordingSqs();
    Map<String, Object> hundredKb = Map.of("description", "d".repeat(100 * 1024));

    new DeliveryQueue(t -> List.of(webhook(t, "all", Set.of(), true)), sqs, QUEUE)
        .enqueue(events("acme", 5, hundredKb));

    assertThat(sqs.calls).extracting(c -> c.entries().size()).containsExactly(2, 2, 1);
    for (SendMessageBatchRequest call : sqs.calls) {
      int bytes =
          call.entries().stream()
              .mapToInt(
                  e ->
                      DeliveryQueueSender.size(
                          DeliveryMessage.of(
                              Map.of(
                                  DeliveryMessage.TENANT, "acme",
                                  DeliveryMessage.WEBHOOK, "all",
                                  DeliveryMessage.EVENT,
                                      e.messageAttributes()
                                          .get(DeliveryMessage.EVENT)
                                          .stringValue(),
                                  DeliveryMessage.DETAIL_TYPE, "Nimbus CI Updated"),
                              e.messageBody())))
              .sum();
      assertThat(bytes).isLessThanOrEqualTo(DeliveryQueueSender.MAX_BATCH_BYTES);
    }
  }

  @Test
  void anEntryRefusedTwiceHandsItsEventBackToTheStreamAndTheOthersAreQueued() {
    RecordingSqs sqs = new RecordingSqs();
    List<CiChangeEvent> events = events("acme", 3, Map.of());
    String refused = events.get(1).eventId();
    sqs.rejecting =
        e -> e.messageAttributes().get(DeliveryMessage.EVENT).stringValue().equals(refused);

    DeliveryQueue.Report report =
        new DeliveryQueue(t -> List.of(webhook(t, "all", Set.of(), true)), sqs, QUEUE)
            .enqueue(events);

    assertThat(report.queued()).isEqualTo(2);
    assertThat(report.unsettled()).containsExactly(events.get(1));
    assertThat(sqs.calls).extracting(c -> c.entries().size()).containsExactly(3, 1);
  }

  @Test
  void aTenantWhoseWebhooksCannotBeReadIsHandedBackAndOtherTenantsAreQueued() {
    RecordingSqs sqs = new RecordingSqs();
    List<CiChangeEvent> broken = events("broken", 2, Map.of());
    List<CiChangeEvent> fine = events("fine", 2, Map.of());
    List<CiChangeEvent> all = new ArrayList<>(broken);
    all.addAll(fine);

    DeliveryQueue.Report report =
        new DeliveryQueue(
                t -> {
                  if (t.equals("broken")) {
                    throw new IllegalStateException("throttled");
                  }
                  return List.of(webhook(t, "all", Set.of(), true));
                },
                sqs,
                QUEUE)
            .enqueue(all);

    assertThat(report.unsettled()).containsExactlyElementsOf(broken);
    assertThat(report.queued()).isEqualTo(2);
  }

  @Test
  void noWebhookMeansNoCall() {
    RecordingSqs sqs = new RecordingSqs();

    DeliveryQueue.Report report =
        new DeliveryQueue(t -> List.of(), sqs, QUEUE).enqueue(events("acme", 3, Map.of()));

    assertThat(report.queued()).isZero();
    assertThat(sqs.calls).isEmpty();
  }

  @Test
  void theRetryWaitDoublesUpToItsCeiling() {
    var policy =
        new WebhookDeliveryService.RetryPolicy(
            5, java.time.Duration.ofSeconds(30), java.time.Duration.ofMinutes(15));

    assertThat(IntStream.rangeClosed(1, 7).mapToObj(policy::ceiling).map(d -> d.toSeconds()))
        .containsExactly(30L, 60L, 120L, 240L, 480L, 900L, 900L);
  }
}
