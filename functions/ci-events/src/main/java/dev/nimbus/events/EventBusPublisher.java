package dev.nimbus.events;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts CI change events on the custom EventBridge bus. PutEvents takes at most {@value
 * #MAX_ENTRIES} entries and {@value #MAX_REQUEST_BYTES} bytes per call and can fail single entries
 * of a call that succeeds (throttling, internal errors): those entries, and only those, are sent
 * again after a backoff. What still fails after the last attempt is returned, so the caller can
 * report its stream records as batch item failures.
 */
public final class EventBusPublisher {
  private static final System.Logger LOG = System.getLogger(EventBusPublisher.class.getName());

  /** PutEvents' limit of entries per request. */
  public static final int MAX_ENTRIES = 10;

  /** PutEvents' limit of the total entry size per request (256 KB). */
  public static final int MAX_REQUEST_BYTES = 256 * 1024;

  private final EventBridgeClient eventBridge;
  private final String busName;
  private final Backoff backoff;

  public EventBusPublisher(EventBridgeClient eventBridge, String busName, Backoff backoff) {
    this.eventBridge = Objects.requireNonNull(eventBridge, "eventBridge");
    this.busName = Objects.requireNonNull(busName, "busName");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /** An event that could not be put on the bus, with the last error EventBridge gave. */
  public record Failure(CiChangeEvent event, String errorCode, String errorMessage) {}

  /** Publishes the events; returns those that failed on every attempt (empty when all went). */
  public List<Failure> publish(List<CiChangeEvent> events) {
    List<Failure> failures = new ArrayList<>();
    for (List<Pending> chunk : chunks(events)) {
      failures.addAll(publishChunk(chunk));
    }
    return failures;
  }

  private List<Failure> publishChunk(List<Pending> chunk) {
    List<Pending> pending = chunk;
    List<Failure> lastFailures = List.of();
    for (int attempt = 1; ; attempt++) {
      List<Pending> current = pending;
      List<Failure> failures = new ArrayList<>();
      List<Pending> retry = new ArrayList<>();
      try {
        PutEventsResponse response =
            eventBridge.putEvents(b -> b.entries(current.stream().map(Pending::entry).toList()));
        List<PutEventsResultEntry> results = response.entries();
        for (int i = 0; i < current.size(); i++) {
          PutEventsResultEntry result = i < results.size() ? results.get(i) : null;
          if (result == null || result.errorCode() != null) {
            retry.add(current.get(i));
            failures.add(
                new Failure(
                    current.get(i).event(),
                    result == null ? "MissingResult" : result.errorCode(),
                    result == null ? "no result entry" : result.errorMessage()));
          }
        }
      } catch (SdkException e) {
        // The SDK already retried throttling and 5xx; a whole-call failure retries the chunk.
        retry.addAll(current);
        current.forEach(
            p ->
                failures.add(new Failure(p.event(), e.getClass().getSimpleName(), e.getMessage())));
      }
      if (retry.isEmpty()) {
        return List.of();
      }
      lastFailures = failures;
      LOG.log(
          Level.WARNING,
          "PutEvents attempt {0}: {1} of {2} entries failed ({3})",
          attempt,
          retry.size(),
          current.size(),
          failures.getFirst().errorCode());
      if (!backoff.pauseAfter(attempt)) {
        return lastFailures;
      }
      pending = retry;
    }
  }

  private List<List<Pending>> chunks(List<CiChangeEvent> events) {
    List<List<Pending>> chunks = new ArrayList<>();
    List<Pending> current = new ArrayList<>();
    int currentBytes = 0;
    for (CiChangeEvent event : events) {
      Pending p = new Pending(event, entry(event));
      int size = entrySize(p.entry());
      if (!current.isEmpty()
          && (current.size() == MAX_ENTRIES || currentBytes + size > MAX_REQUEST_BYTES)) {
        chunks.add(current);
        current = new ArrayList<>();
        currentBytes = 0;
      }
      current.add(p);
      currentBytes += size;
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }

  private PutEventsRequestEntry entry(CiChangeEvent event) {
    return PutEventsRequestEntry.builder()
        .eventBusName(busName)
        .source(CiChangeEventJson.SOURCE)
        .detailType(DetailTypes.of(event.kind()))
        .detail(CiChangeEventJson.detail(event))
        .time(event.captureTime())
        .build();
  }

  /** The size EventBridge counts for an entry: time, source, detail-type, detail, resources. */
  static int entrySize(PutEventsRequestEntry entry) {
    int size = entry.time() == null ? 0 : 14;
    size += utf8(entry.source()) + utf8(entry.detailType()) + utf8(entry.detail());
    for (String resource : entry.resources()) {
      size += utf8(resource);
    }
    return size;
  }

  private static int utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  private record Pending(CiChangeEvent event, PutEventsRequestEntry entry) {}
}
