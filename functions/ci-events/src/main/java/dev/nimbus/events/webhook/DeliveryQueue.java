package dev.nimbus.events.webhook;

import dev.nimbus.events.CiChangeEvent;
import dev.nimbus.events.CiChangeEventJson;
import dev.nimbus.events.DetailTypes;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The stream function's side of webhook delivery: for each published event, one message per
 * matching webhook of its tenant on the delivery queue, sent with {@code SendMessageBatch} (at most
 * {@value #MAX_ENTRIES} entries and {@value #MAX_BATCH_BYTES} bytes per call). No receiver is
 * called here, so no receiver can hold the stream.
 *
 * <p>An event whose tenant's webhooks cannot be read, or one of whose messages could not be queued
 * after a second try, is returned as unsettled: its stream record fails and Lambda retries it,
 * which publishes and queues it again with the same event id (at-least-once; receivers deduplicate
 * on the event id header). Each message carries the tenant as its message group, which lets a fair
 * queue serve other tenants first while one tenant has a backlog.
 */
public final class DeliveryQueue {
  private static final System.Logger LOG = System.getLogger(DeliveryQueue.class.getName());

  /** SendMessageBatch's limit of entries per call. */
  public static final int MAX_ENTRIES = 10;

  /** SendMessageBatch's limit of the total payload per call (256 KiB). */
  public static final int MAX_BATCH_BYTES = 256 * 1024;

  /** A tenant's webhooks: {@link WebhookSubscriptionRepository#list} (one Query). */
  @FunctionalInterface
  public interface Subscriptions {
    List<WebhookSubscriptionRepository.Stored> list(String tenantId);
  }

  private final Subscriptions subscriptions;
  private final SqsClient sqs;
  private final String queueUrl;

  public DeliveryQueue(Subscriptions subscriptions, SqsClient sqs, String queueUrl) {
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
  }

  /** What was queued, and the events whose stream records must be retried. */
  public record Report(int queued, List<CiChangeEvent> unsettled) {}

  private record Pending(CiChangeEvent event, DeliveryMessage message, int bytes) {}

  /** Queues one delivery per (matching webhook, event). */
  public Report enqueue(List<CiChangeEvent> events) {
    Map<String, List<CiChangeEvent>> byTenant = new LinkedHashMap<>();
    events.forEach(e -> byTenant.computeIfAbsent(e.tenantId(), t -> new ArrayList<>()).add(e));
    Set<CiChangeEvent> unsettled = new LinkedHashSet<>();
    List<Pending> pending = new ArrayList<>();
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
          pending.add(new Pending(event, message, size(message)));
        }
      }
    }
    int queued = 0;
    for (List<Pending> chunk : chunks(pending)) {
      List<Pending> failed = send(chunk);
      if (!failed.isEmpty()) {
        failed = send(failed);
      }
      queued += chunk.size() - failed.size();
      failed.forEach(p -> unsettled.add(p.event()));
    }
    return new Report(queued, List.copyOf(unsettled));
  }

  /** Sends one chunk; returns the entries that were not queued. */
  private List<Pending> send(List<Pending> chunk) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < chunk.size(); i++) {
      DeliveryMessage m = chunk.get(i).message();
      Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
      m.attributes()
          .forEach(
              (k, v) ->
                  attributes.put(
                      k,
                      MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
      entries.add(
          SendMessageBatchRequestEntry.builder()
              .id(Integer.toString(i))
              .messageBody(m.body())
              .messageAttributes(attributes)
              // A standard queue with message groups is a fair queue: while one tenant has a
              // backlog in flight, SQS hands out other tenants' messages first.
              .messageGroupId(m.tenantId())
              .build());
    }
    try {
      SendMessageBatchResponse response =
          sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      List<Pending> failed = new ArrayList<>();
      for (BatchResultErrorEntry error : response.failed()) {
        Pending p = chunk.get(Integer.parseInt(error.id()));
        LOG.log(
            Level.WARNING,
            "delivery of event {0} to webhook {1} not queued: {2}",
            p.message().eventId(),
            p.message().webhookId(),
            error.code());
        failed.add(p);
      }
      return failed;
    } catch (SdkException e) {
      LOG.log(
          Level.WARNING,
          "{0} webhook deliveries not queued: {1}",
          chunk.size(),
          e.getClass().getSimpleName());
      return chunk;
    }
  }

  /** Entries of at most {@value #MAX_ENTRIES} and {@value #MAX_BATCH_BYTES} bytes per call. */
  private static List<List<Pending>> chunks(List<Pending> all) {
    List<List<Pending>> out = new ArrayList<>();
    List<Pending> current = new ArrayList<>();
    int bytes = 0;
    for (Pending p : all) {
      if (!current.isEmpty()
          && (current.size() == MAX_ENTRIES || bytes + p.bytes() > MAX_BATCH_BYTES)) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(p);
      bytes += p.bytes();
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** What SQS counts against its size limit: the body and each attribute's name, type and value. */
  static int size(DeliveryMessage m) {
    int bytes = m.body().getBytes(StandardCharsets.UTF_8).length;
    for (Map.Entry<String, String> a : m.attributes().entrySet()) {
      bytes +=
          a.getKey().getBytes(StandardCharsets.UTF_8).length
              + "String".length()
              + a.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    return bytes;
  }
}
