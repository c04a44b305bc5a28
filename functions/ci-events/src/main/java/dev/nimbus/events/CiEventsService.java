package dev.nimbus.events;

import dev.nimbus.events.webhook.WebhookDispatcher;
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
 * POSTed to matching webhooks. A record fails (and is handed back to Lambda for a retry) when it
 * cannot be decoded, its event did not reach the bus, or a failed webhook delivery could not even
 * be recorded; a webhook that is down does not fail the record, its deliveries are kept for replay.
 * Webhooks only see events that are on the bus, so a retried record is not delivered twice for
 * nothing (and when it is, the event id is the same).
 */
public final class CiEventsService {
  private static final System.Logger LOG = System.getLogger(CiEventsService.class.getName());

  private final CiChangeEventFactory factory;
  private final EventBusPublisher publisher;
  private final WebhookDispatcher webhooks;

  public CiEventsService(
      CiChangeEventFactory factory, EventBusPublisher publisher, WebhookDispatcher webhooks) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
  }

  /**
   * The outcome of a batch: the sequence numbers of failed records in stream order, the events that
   * were published, how many records and events the batch held, and the webhook deliveries made and
   * failed (kept for replay).
   */
  public record BatchResult(
      List<String> failedSequenceNumbers,
      List<CiChangeEvent> published,
      int records,
      int events,
      long webhookDeliveries,
      long webhookFailures) {}

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
    long delivered = 0;
    long deliveryFailures = 0;
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
      WebhookDispatcher.Report report = webhooks.dispatch(published);
      delivered = report.delivered();
      deliveryFailures = report.failed();
      for (CiChangeEvent event : report.unsettled()) {
        failed.add(source.get(event).sequenceNumber());
      }
      if (report.failed() > 0) {
        LOG.log(
            Level.WARNING,
            "{0} webhook deliveries failed and were kept for replay",
            report.failed());
      }
    }
    for (CiChangeEvent event : published) {
      LOG.log(Level.INFO, "published {0}", event.summary());
    }
    List<String> ordered =
        records.stream().map(ChangeRecord::sequenceNumber).filter(failed::contains).toList();
    return new BatchResult(
        ordered,
        List.copyOf(published),
        records.size(),
        events.size(),
        delivered,
        deliveryFailures);
  }

  private static String key(ChangeRecord record, String name) {
    var value = record.newImage().get(name);
    return value == null ? "?" : value.s();
  }
}
