package dev.nimbus.pulumi.runner.drift;

import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.model.SemanticType;
import dev.nimbus.webhooks.DeliveryQueueSender;
import dev.nimbus.webhooks.WebhookFanOut;
import dev.nimbus.webhooks.WebhookSubscription;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import java.util.List;
import java.util.Objects;

/**
 * Hands drift events to the tenant's webhooks through the webhook delivery queue, exactly as the
 * stream function hands CI change events: one message per (matching webhook, event), body the event
 * as it is POSTed. The ci-events module's {@code deliverWebhooks} function makes the calls (URL
 * policy checked at delivery, {@code Nimbus-Signature}, {@code Nimbus-Event-Id}, retries with
 * backoff through the queue, failures kept for replay).
 *
 * <p>Why not call the receivers here: the drift check runs on the table's stream, whose batches
 * hold every tenant's records; a receiver that trickles its answer would hold the batch, and every
 * other tenant's drift check behind it, for up to the function's timeout.
 *
 * <p>A subscription gets drift events when it has no change-kind filter (change kinds are CI change
 * kinds) and its semantic-type filter is empty or names the drifted resource's type.
 */
public final class QueuedDriftNotifier implements DriftNotifier {
  private final WebhookSubscriptionRepository subscriptions;
  private final DeliveryQueueSender queue;

  public QueuedDriftNotifier(
      WebhookSubscriptionRepository subscriptions, DeliveryQueueSender queue) {
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.queue = Objects.requireNonNull(queue, "queue");
  }

  static boolean wants(WebhookSubscription s, Drift d) {
    if (!s.enabled()
        || !s.tenantId().equals(d.connection().tenantId())
        || !s.changeKinds().isEmpty()) {
      return false;
    }
    if (s.semanticTypes().isEmpty()) {
      return true;
    }
    try {
      return d.semanticType() != null
          && s.semanticTypes().contains(SemanticType.valueOf(d.semanticType()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Queues the deliveries; returns the events of which some delivery could not be queued. */
  @Override
  public List<DriftEvents.Event> send(List<DriftEvents.Event> events) {
    return WebhookFanOut.queue(events, DRIFTS, subscriptions::list, queue).unsettled();
  }

  /** A drift event as a delivery: {@link #wants}, the event's own id and detail type. */
  private static final WebhookFanOut.Events<DriftEvents.Event> DRIFTS =
      new WebhookFanOut.Events<>() {
        @Override
        public String tenantId(DriftEvents.Event e) {
          return e.tenantId();
        }

        @Override
        public boolean wantedBy(WebhookSubscription webhook, DriftEvents.Event e) {
          return wants(webhook, e.drift());
        }

        @Override
        public String eventId(DriftEvents.Event e) {
          return e.eventId();
        }

        @Override
        public String detailType(DriftEvents.Event e) {
          return e.detailType();
        }

        @Override
        public String envelope(DriftEvents.Event e) {
          return DriftEvents.envelope(e);
        }
      };
}
