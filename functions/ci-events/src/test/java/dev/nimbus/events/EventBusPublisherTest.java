package dev.nimbus.events;

import static dev.nimbus.events.testing.TestCis.LAB;
import static dev.nimbus.events.testing.TestCis.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.events.testing.TestCis;
import dev.nimbus.model.Attribution;
import dev.nimbus.model.ConfigurationItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

class EventBusPublisherTest {

  /** Records PutEvents calls; {@code failing} decides per entry whether EventBridge rejects it. */
  private static final class RecordingEventBridge implements EventBridgeClient {
    final List<PutEventsRequest> calls = new ArrayList<>();
    final Function<PutEventsRequestEntry, Boolean> failing;

    RecordingEventBridge(Function<PutEventsRequestEntry, Boolean> failing) {
      this.failing = failing;
    }

    @Override
    public PutEventsResponse putEvents(PutEventsRequest request) {
      calls.add(request);
      List<PutEventsResultEntry> results = new ArrayList<>();
      int failed = 0;
      for (PutEventsRequestEntry entry : request.entries()) {
        if (failing.apply(entry)) {
          failed++;
          results.add(
              PutEventsResultEntry.builder()
                  .errorCode("ThrottlingException")
                  .errorMessage("Rate exceeded")
                  .build());
        } else {
          results.add(PutEventsResultEntry.builder().eventId("eb-" + results.size()).build());
        }
      }
      return PutEventsResponse.builder().entries(results).failedEntryCount(failed).build();
    }

    @Override
    public String serviceName() {
      return "events";
    }

    @Override
    public void close() {}
  }

  private final List<Duration> sleeps = new ArrayList<>();
  private final Backoff backoff =
      new Backoff(3, Duration.ofMillis(100), Duration.ofSeconds(1), sleeps::add);

  private static List<CiChangeEvent> events(int n, Map<String, Object> extra) {
    return IntStream.range(0, n)
        .mapToObj(
            i -> {
              ConfigurationItem ci = TestCis.web1(LAB, extra);
              return CiChangeEvent.of(
                  ChangeKind.UPDATED, ci, i + 1, List.of(), T0, Attribution.UNKNOWN);
            })
        .toList();
  }

  @Test
  void twentyFiveEventsGoOutInCallsOfAtMostTenEntriesToTheConfiguredBus() {
    RecordingEventBridge eventBridge = new RecordingEventBridge(e -> false);

    List<EventBusPublisher.Failure> failures =
        new EventBusPublisher(eventBridge, "nimbus-bus", backoff).publish(events(25, Map.of()));

    assertThat(failures).isEmpty();
    assertThat(eventBridge.calls).extracting(c -> c.entries().size()).containsExactly(10, 10, 5);
    PutEventsRequestEntry first = eventBridge.calls.getFirst().entries().getFirst();
    assertThat(first.eventBusName()).isEqualTo("nimbus-bus");
    assertThat(first.source()).isEqualTo("nimbus.cmdb");
    assertThat(first.detailType()).isEqualTo("Nimbus CI Updated");
    assertThat(first.time()).isEqualTo(T0);
  }

  @Test
  void largeEventsAreSplitSoNoCallPassesTwoHundredFiftySixKilobytes() {
    RecordingEventBridge eventBridge = new RecordingEventBridge(e -> false);
    Map<String, Object> hundredKb = Map.of("description", "d".repeat(100 * 1024));

    new EventBusPublisher(eventBridge, "bus", backoff).publish(events(5, hundredKb));

    assertThat(eventBridge.calls).extracting(c -> c.entries().size()).containsExactly(2, 2, 1);
    for (PutEventsRequest call : eventBridge.calls) {
      int size = call.entries().stream().mapToInt(EventBusPublisher::entrySize).sum();
      assertThat(size).isLessThanOrEqualTo(EventBusPublisher.MAX_REQUEST_BYTES);
    }
  }

  @Test
  void onlyTheEntriesEventBridgeRejectedAreSentAgainAfterABackoff() {
    Set<String> rejectedOnce = new HashSet<>();
    RecordingEventBridge eventBridge =
        new RecordingEventBridge(
            e ->
                e.detail().contains("\"configurationStateId\":2,") && rejectedOnce.add(e.detail()));

    List<EventBusPublisher.Failure> failures =
        new EventBusPublisher(eventBridge, "bus", backoff).publish(events(3, Map.of()));

    assertThat(failures).isEmpty();
    assertThat(eventBridge.calls).extracting(c -> c.entries().size()).containsExactly(3, 1);
    assertThat(eventBridge.calls.get(1).entries().getFirst().detail())
        .contains("\"configurationStateId\":2,");
    assertThat(sleeps).hasSize(1);
  }

  @Test
  void anEntryRejectedOnEveryAttemptIsReturnedAsAFailureWithTheLastError() {
    RecordingEventBridge eventBridge =
        new RecordingEventBridge(e -> e.detail().contains("\"configurationStateId\":1,"));
    List<CiChangeEvent> events = events(2, Map.of());

    List<EventBusPublisher.Failure> failures =
        new EventBusPublisher(eventBridge, "bus", backoff).publish(events);

    assertThat(failures).hasSize(1);
    assertThat(failures.getFirst().event()).isEqualTo(events.getFirst());
    assertThat(failures.getFirst().errorCode()).isEqualTo("ThrottlingException");
    assertThat(eventBridge.calls).hasSize(3);
    assertThat(sleeps).hasSize(2);
  }
}
