package dev.nimbus.pulumi.runner.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * Puts drift events on the Nimbus bus (source {@value DriftEvents#SOURCE}), at most 10 entries per
 * PutEvents (its limit; a drift event is a few KB, far below the 256 KB per call). Entries the bus
 * rejects are sent once more; what still fails is returned.
 */
public final class EventBridgeDriftNotifier implements DriftNotifier {
  static final int MAX_ENTRIES = 10;

  private final EventBridgeClient eventBridge;
  private final String busName;
  private int calls;

  public EventBridgeDriftNotifier(EventBridgeClient eventBridge, String busName) {
    this.eventBridge = Objects.requireNonNull(eventBridge, "eventBridge");
    this.busName = Objects.requireNonNull(busName, "busName");
  }

  @Override
  public List<DriftEvents.Event> send(List<DriftEvents.Event> events) {
    List<DriftEvents.Event> failed = new ArrayList<>();
    for (int i = 0; i < events.size(); i += MAX_ENTRIES) {
      List<DriftEvents.Event> chunk = events.subList(i, Math.min(events.size(), i + MAX_ENTRIES));
      List<DriftEvents.Event> rejected = put(chunk);
      if (!rejected.isEmpty()) {
        rejected = put(rejected);
      }
      failed.addAll(rejected);
    }
    return failed;
  }

  private List<DriftEvents.Event> put(List<DriftEvents.Event> chunk) {
    calls++;
    try {
      PutEventsResponse r =
          eventBridge.putEvents(b -> b.entries(chunk.stream().map(this::entry).toList()));
      List<DriftEvents.Event> rejected = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        if (i >= r.entries().size() || r.entries().get(i).errorCode() != null) {
          rejected.add(chunk.get(i));
        }
      }
      return rejected;
    } catch (SdkException e) {
      return List.copyOf(chunk);
    }
  }

  private PutEventsRequestEntry entry(DriftEvents.Event e) {
    return PutEventsRequestEntry.builder()
        .eventBusName(busName)
        .source(DriftEvents.SOURCE)
        .detailType(e.detailType())
        .detail(DriftEvents.detail(e))
        .time(e.checkedAt())
        .build();
  }

  /** PutEvents calls made so far. */
  public int calls() {
    return calls;
  }
}
