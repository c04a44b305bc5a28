package dev.nimbus.webhooks;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Events to the webhook delivery queue: for each event, one {@link DeliveryMessage} per webhook of
 * its tenant that wants it, sent in batches by {@link DeliveryQueueSender}. The stream function
 * queues CI change events this way and the drift check drift events; the {@code deliverWebhooks}
 * function makes the calls. No receiver is called here, so no receiver can hold the caller.
 *
 * <p>An event whose tenant's webhooks cannot be read, or one of whose messages could not be queued,
 * is returned as unsettled, for the caller to retry with the same event id (receivers deduplicate
 * on it).
 */
public final class WebhookFanOut {
  private static final System.Logger LOG = System.getLogger(WebhookFanOut.class.getName());

  private WebhookFanOut() {}

  /** What the fan-out needs to know of one kind of event. */
  public interface Events<E> {
    String tenantId(E event);

    /** Whether {@code webhook} (of the event's tenant) gets {@code event}. */
    boolean wantedBy(WebhookSubscription webhook, E event);

    String eventId(E event);

    String detailType(E event);

    /** The body as it is POSTed; built once per event, for its first matching webhook. */
    String envelope(E event);
  }

  /** How many messages were queued, and the events to retry. */
  public record Queued<E>(int queued, List<E> unsettled) {}

  /**
   * Queues one delivery per (matching webhook, event), reading each tenant's webhooks once through
   * {@code subscriptions} ({@link WebhookSubscriptionRepository#list}: one Query).
   */
  public static <E> Queued<E> queue(
      List<E> events,
      Events<E> kind,
      Function<String, List<WebhookSubscriptionRepository.Stored>> subscriptions,
      DeliveryQueueSender sender) {
    Map<String, List<E>> byTenant = new LinkedHashMap<>();
    events.forEach(e -> byTenant.computeIfAbsent(kind.tenantId(e), t -> new ArrayList<>()).add(e));
    Set<E> unsettled = new LinkedHashSet<>();
    // Which event each message was made from (by identity: two messages may be equal records).
    Map<DeliveryMessage, E> pending = new IdentityHashMap<>();
    List<DeliveryMessage> messages = new ArrayList<>();
    for (Map.Entry<String, List<E>> tenant : byTenant.entrySet()) {
      List<WebhookSubscriptionRepository.Stored> subs;
      try {
        subs = subscriptions.apply(tenant.getKey());
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "cannot read webhooks of tenant {0}: {1}",
            tenant.getKey(),
            e.getClass().getName());
        unsettled.addAll(tenant.getValue());
        continue;
      }
      for (E event : tenant.getValue()) {
        String body = null;
        for (WebhookSubscriptionRepository.Stored stored : subs) {
          WebhookSubscription sub = stored.subscription();
          if (!kind.wantedBy(sub, event)) {
            continue;
          }
          if (body == null) {
            body = kind.envelope(event);
          }
          DeliveryMessage message =
              new DeliveryMessage(
                  sub.tenantId(), sub.id(), kind.eventId(event), kind.detailType(event), body);
          pending.put(message, event);
          messages.add(message);
        }
      }
    }
    List<DeliveryMessage> notQueued = sender.send(messages);
    notQueued.forEach(m -> unsettled.add(pending.get(m)));
    return new Queued<>(messages.size() - notQueued.size(), List.copyOf(unsettled));
  }
}
