package dev.nimbus.discovery;

import dev.nimbus.connections.ConnectionDirectory;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.model.ConnectionRef;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scheduler tick: finds every connection whose discovery is due, claims it (moves its next due
 * time, so a run slower than the schedule is not queued twice) and queues one message per
 * connection.
 *
 * <p>Fan-out goes through SQS rather than asynchronous Lambda invokes: the queue keeps a message
 * until a run finishes (visibility timeout longer than the run), retries a run that crashed, parks
 * a poisoned one in a dead-letter queue, and its event source mapping caps how many runs go at
 * once, so a hundred due clusters cannot exhaust the table's or the account's concurrency. A slow
 * cluster occupies one function instance and delays nobody else.
 */
public final class DiscoveryScheduler {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ConnectionDirectory directory;
  private final ConnectionService connections;
  private final SqsClient sqs;
  private final String queueUrl;
  private final Clock clock;

  public DiscoveryScheduler(
      ConnectionDirectory directory,
      ConnectionService connections,
      SqsClient sqs,
      String queueUrl,
      Clock clock) {
    this.directory = directory;
    this.connections = connections;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.clock = clock;
  }

  /** What one tick did. */
  public record TickResult(Instant at, int due, int queued, List<String> connections) {}

  public TickResult tick() {
    Instant now = clock.instant();
    List<ConnectionRef> due = directory.dueConnections(now);
    List<ConnectionRef> claimed = new ArrayList<>();
    for (ConnectionRef ref : due) {
      connections.claimDue(ref, now).ifPresent(c -> claimed.add(ref));
    }
    for (int i = 0; i < claimed.size(); i += 10) {
      List<ConnectionRef> batch = claimed.subList(i, Math.min(i + 10, claimed.size()));
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int j = 0; j < batch.size(); j++) {
        entries.add(
            SendMessageBatchRequestEntry.builder()
                .id(Integer.toString(j))
                .messageBody(JSON.writeValueAsString(DiscoveryRequest.of(batch.get(j))))
                .build());
      }
      var response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      if (!response.failed().isEmpty()) {
        // The claim moved their due time; failing the tick makes EventBridge retry it, and the
        // next ticks find them due again after one schedule interval at the latest.
        throw new IllegalStateException(
            response.failed().size()
                + " discovery messages could not be queued: "
                + response.failed().getFirst().message());
      }
    }
    return new TickResult(
        now, due.size(), claimed.size(), claimed.stream().map(ConnectionRef::toString).toList());
  }

  /** Parses a queued message. */
  public static DiscoveryRequest parse(String body) {
    DiscoveryRequest request = JSON.readValue(body, DiscoveryRequest.class);
    request.ref(); // validates both ids
    return request;
  }
}
