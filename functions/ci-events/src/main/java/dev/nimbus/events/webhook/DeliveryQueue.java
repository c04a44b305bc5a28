package dev.nimbus.events.webhook;

import dev.nimbus.events.CiChangeEvent;
import dev.nimbus.events.CiChangeEventJson;
import dev.nimbus.events.DetailTypes;
import dev.nimbus.webhooks.DeliveryQueueSender;
import dev.nimbus.webhooks.WebhookFanOut;
import dev.nimbus.webhooks.WebhookSubscription;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The stream function's side of webhook delivery: for each published event, one message per
 * matching webhook of its tenant on the delivery queue, sent in batches by {@link
 * DeliveryQueueSender}. No receiver is called here, so no receiver can hold the stream.
 *
 * <p>An event whose tenant's webhooks cannot be read, or one of whose messages could not be queued
 * after a second try, is returned as unsettled: its stream record fails and Lambda retries it,
 * which publishes and queues it again with the same event id (at-least-once; receivers deduplicate
 * on the event id header). Each message carries the tenant as its message group, which lets a fair
 * queue serve other tenants first while one tenant has a backlog.
 */
public final class DeliveryQueue {
  /** A tenant's webhooks: {@link WebhookSubscriptionRepository#list} (one Query). */
  @FunctionalInterface
  public interface Subscriptions {
    List<WebhookSubscriptionRepository.Stored> list(String tenantId);
  }

  private final Subscriptions subscriptions;
  private final DeliveryQueueSender sender;

  public DeliveryQueue(Subscriptions subscriptions, SqsClient sqs, String queueUrl) {
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.sender = new DeliveryQueueSender(sqs, queueUrl);
  }

  /** What was queued, and the events whose stream records must be retried. */
  public record Report(int queued, List<CiChangeEvent> unsettled) {}

  /** Queues one delivery per (matching webhook, event). */
  public Report enqueue(List<CiChangeEvent> events) {
    WebhookFanOut.Queued<CiChangeEvent> q =
        WebhookFanOut.queue(events, CI_CHANGES, subscriptions::list, sender);
    return new Report(q.queued(), q.unsettled());
  }

  /** A CI change event as a delivery: the webhook's filters, the detail type of its change kind. */
  private static final WebhookFanOut.Events<CiChangeEvent> CI_CHANGES =
      new WebhookFanOut.Events<>() {
        @Override
        public String tenantId(CiChangeEvent e) {
          return e.tenantId();
        }

        @Override
        public boolean wantedBy(WebhookSubscription webhook, CiChangeEvent e) {
          return webhook.matches(e.tenantId(), e.ci().semanticType(), e.kind());
        }

        @Override
        public String eventId(CiChangeEvent e) {
          return e.eventId();
        }

        @Override
        public String detailType(CiChangeEvent e) {
          return DetailTypes.of(e.kind());
        }

        @Override
        public String envelope(CiChangeEvent e) {
          return CiChangeEventJson.envelope(e);
        }
      };
}
