package dev.nimbus.events.webhook;

import dev.nimbus.events.CiChangeEvent;
import dev.nimbus.events.CiChangeEventJson;
import dev.nimbus.events.DetailTypes;
import dev.nimbus.webhooks.DeliveryMessage;
import dev.nimbus.webhooks.DeliveryQueueSender;
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
  private static final System.Logger LOG = System.getLogger(DeliveryQueue.class.getName());

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
    Map<String, List<CiChangeEvent>> byTenant = new LinkedHashMap<>();
    events.forEach(e -> byTenant.computeIfAbsent(e.tenantId(), t -> new ArrayList<>()).add(e));
    Set<CiChangeEvent> unsettled = new LinkedHashSet<>();
    // Which event each message was made from (by identity: two messages may be equal records).
    Map<DeliveryMessage, CiChangeEvent> pending = new IdentityHashMap<>();
    List<DeliveryMessage> messages = new ArrayList<>();
    for (Map.Entry<String, List<CiChangeEvent>> tenant : byTenant.entrySet()) {
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
      for (CiChangeEvent event : tenant.getValue()) {
        String body = null;
        for (WebhookSubscriptionRepository.Stored stored : subs) {
          var sub = stored.subscription();
          if (!sub.matches(event.tenantId(), event.ci().semanticType(), event.kind())) {
            continue;
          }
          if (body == null) {
            body = CiChangeEventJson.envelope(event);
          }
          DeliveryMessage message =
              new DeliveryMessage(
                  sub.tenantId(), sub.id(), event.eventId(), DetailTypes.of(event.kind()), body);
          pending.put(message, event);
          messages.add(message);
        }
      }
    }
    List<DeliveryMessage> notQueued = sender.send(messages);
    notQueued.forEach(m -> unsettled.add(pending.get(m)));
    return new Report(messages.size() - notQueued.size(), List.copyOf(unsettled));
  }
}
