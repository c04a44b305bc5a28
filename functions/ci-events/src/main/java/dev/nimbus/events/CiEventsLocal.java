package dev.nimbus.events;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.aws.StreamTail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The ci-events path for the local run, without Lambda: reads the table's stream itself (there is
 * no event source mapping on an emulator), turns the records into events with the same factory the
 * function uses, and, when a bus is named, puts them on it. The caller prints {@link
 * CiChangeEvent#summary()} per event.
 *
 * <pre>{@code
 * CiEventsLocal events = CiEventsLocal.open(clients, tableName, busName); // before the run
 * ... discovery run ...
 * events.drain().forEach(e -> System.out.println(e.summary()));
 * }</pre>
 */
public final class CiEventsLocal {
  private final StreamTail tail;
  private final Optional<EventBusPublisher> publisher;

  private CiEventsLocal(AwsClients clients, String tableName, String busName) {
    this.tail = new StreamTail(clients.dynamoDb(), clients.dynamoDbStreams(), tableName);
    this.publisher =
        Optional.ofNullable(busName)
            .map(
                bus ->
                    new EventBusPublisher(
                        clients.eventBridge(),
                        bus,
                        Backoff.of(3, Duration.ofMillis(100), Duration.ofSeconds(1))));
  }

  /** A reader positioned at the end of the stream: {@link #drain()} returns later changes only. */
  public static CiEventsLocal open(AwsClients clients, String tableName, String busName) {
    CiEventsLocal local = new CiEventsLocal(clients, tableName, busName);
    local.tail.skipToEnd();
    return local;
  }

  /** The events of the records written since the last call, published when a bus is named. */
  public List<CiChangeEvent> drain() {
    List<CiChangeEvent> events =
        toEvents(tail.poll().stream().map(CiEventsLocal::changeRecord).toList());
    publisher.ifPresent(
        p -> {
          List<EventBusPublisher.Failure> failures = p.publish(events);
          if (!failures.isEmpty()) {
            throw new IllegalStateException(
                failures.size()
                    + " events did not reach the bus: "
                    + failures.getFirst().errorCode());
          }
        });
    return events;
  }

  /**
   * The events of stream records, in order; records that stand for no event are skipped, and so are
   * records that cannot be decoded (the function would report those as failures).
   */
  public static List<CiChangeEvent> toEvents(List<ChangeRecord> records) {
    CiChangeEventFactory factory = new CiChangeEventFactory();
    List<CiChangeEvent> events = new ArrayList<>();
    for (ChangeRecord record : records) {
      try {
        factory.eventFor(record).ifPresent(events::add);
      } catch (RuntimeException e) {
        System.getLogger(CiEventsLocal.class.getName())
            .log(
                System.Logger.Level.WARNING,
                "stream record {0} skipped: {1}",
                record.sequenceNumber(),
                e.getClass().getName());
      }
    }
    return events;
  }

  /** A stream record as read with the SDK, as a {@link ChangeRecord}. */
  public static ChangeRecord changeRecord(Record r) {
    return new ChangeRecord(
        r.eventID(),
        r.eventNameAsString(),
        r.dynamodb().sequenceNumber(),
        r.dynamodb().hasNewImage() ? r.dynamodb().newImage() : null,
        r.dynamodb().hasOldImage() ? r.dynamodb().oldImage() : null);
  }
}
