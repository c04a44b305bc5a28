package dev.nimbus.events;

import dev.nimbus.events.webhook.DeliveryQueue;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Handles one batch of stream records: each CI change becomes one event, put on the bus, then
 * queued once per matching webhook on the delivery queue ({@link DeliveryQueue}); no receiver is
 * called on the stream's path, so no receiver can hold a batch that all tenants share. A record
 * fails (and is handed back to Lambda for a retry) when it cannot be decoded, its event did not
 * reach the bus, or its deliveries could not be queued. Webhooks only see events that are on the
 * bus; a retried record publishes and queues its event again with the same event id.
 */
public final class CiEventsService {
  private static final System.Logger LOG = System.getLogger(CiEventsService.class.getName());

  private final CiChangeEventFactory factory;
  private final EventBusPublisher publisher;
  private final DeliveryQueue webhooks;

  public CiEventsService(
      CiChangeEventFactory factory, EventBusPublisher publisher, DeliveryQueue webhooks) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
  }

  /**
   * The outcome of a batch: the sequence numbers of failed records in stream order, the events that
   * were published, how many records and events the batch held, and the webhook deliveries queued.
   */
  public record BatchResult(
      List<String> failedSequenceNumbers,
      List<CiChangeEvent> published,
      int records,
      int events,
      long webhookDeliveriesQueued) {}

  /** Processes the records of one batch, in order. */
  public BatchResult handle(List<ChangeRecord> records) {
    Set<String> failed = new LinkedHashSet<>();
    Map<CiChangeEvent, ChangeRecord> source = new IdentityHashMap<>();
    List<CiChangeEvent> events = new ArrayList<>();
    for (ChangeRecord record : records) {
      try {
        factory
            .eventFor(record)
            .ifPresent(
                event -> {
                  events.add(event);
                  source.put(event, record);
                });
      } catch (RuntimeException e) {
        // A poison record: report it alone. The log names the item and the exception type, not
        // its message, which may quote an attribute value.
        LOG.log(
            Level.ERROR,
            "stream record {0} ({1}, item {2} {3}) cannot be turned into an event: {4}",
            record.sequenceNumber(),
            record.streamEventId(),
            key(record, "PK"),
            key(record, "SK"),
            e.getClass().getName());
        failed.add(record.sequenceNumber());
      }
    }
    List<CiChangeEvent> published = new ArrayList<>(events);
    long queued = 0;
    for (EventBusPublisher.Failure f : publisher.publish(events)) {
      LOG.log(
          Level.ERROR,
          "event {0} did not reach the bus: {1} {2}",
          f.event().eventId(),
          f.errorCode(),
          f.errorMessage());
      published.remove(f.event());
      failed.add(source.get(f.event()).sequenceNumber());
    }
    if (!published.isEmpty()) {
      DeliveryQueue.Report report = webhooks.enqueue(published);
      queued = report.queued();
      for (CiChangeEvent event : report.unsettled()) {
        failed.add(source.get(event).sequenceNumber());
      }
    }
    for (CiChangeEvent event : published) {
      LOG.log(Level.INFO, "published {0}", event.summary());
    }
    List<String> ordered =
        records.stream().map(ChangeRecord::sequenceNumber).filter(failed::contains).toList();
    return new BatchResult(ordered, List.copyOf(published), records.size(), events.size(), queued);
  }

  private static String key(ChangeRecord record, String name) {
    var value = record.newImage().get(name);
    return value == null ? "?" : value.s();
  }
}
