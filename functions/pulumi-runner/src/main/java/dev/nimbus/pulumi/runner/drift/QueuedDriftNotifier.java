package dev.nimbus.pulumi.runner.drift;

import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.model.SemanticType;
import dev.nimbus.webhooks.DeliveryMessage;
import dev.nimbus.webhooks.DeliveryQueueSender;
import dev.nimbus.webhooks.WebhookSubscription;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
  private static final System.Logger LOG = System.getLogger(QueuedDriftNotifier.class.getName());

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
    Set<DriftEvents.Event> unsettled = new LinkedHashSet<>();
    Map<String, List<DriftEvents.Event>> byTenant = new LinkedHashMap<>();
    events.forEach(e -> byTenant.computeIfAbsent(e.tenantId(), t -> new ArrayList<>()).add(e));
    // Which event each message was made from (by identity: two messages may be equal records).
    Map<DeliveryMessage, DriftEvents.Event> pending = new IdentityHashMap<>();
    List<DeliveryMessage> messages = new ArrayList<>();
    for (var tenant : byTenant.entrySet()) {
      List<WebhookSubscriptionRepository.Stored> subs;
      try {
        subs = subscriptions.list(tenant.getKey());
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "cannot read webhooks of tenant {0}: {1}",
            tenant.getKey(),
            e.getClass().getName());
        unsettled.addAll(tenant.getValue());
        continue;
      }
      for (DriftEvents.Event event : tenant.getValue()) {
        String body = null;
        for (var stored : subs) {
          WebhookSubscription sub = stored.subscription();
          if (!wants(sub, event.drift())) {
            continue;
          }
          if (body == null) {
            body = DriftEvents.envelope(event);
          }
          DeliveryMessage message =
              new DeliveryMessage(
                  sub.tenantId(), sub.id(), event.eventId(), event.detailType(), body);
          pending.put(message, event);
          messages.add(message);
        }
      }
    }
    queue.send(messages).forEach(m -> unsettled.add(pending.get(m)));
    return List.copyOf(unsettled);
  }
}
