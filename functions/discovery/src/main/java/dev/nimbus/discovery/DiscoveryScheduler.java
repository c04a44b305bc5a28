package dev.nimbus.discovery;

import dev.nimbus.connections.Connection;
import dev.nimbus.connections.ConnectionDirectory;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.DueConnection;
import dev.nimbus.model.ConnectionRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
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
  private static final System.Logger LOG = System.getLogger(DiscoveryScheduler.class.getName());

  /** SendMessageBatch takes at most ten entries. */
  static final int BATCH = 10;

  /**
   * How long a tick starts new batches: the schedule function's timeout is 60 s, and the last batch
   * (ten claims and one send, well under a second on DynamoDB and SQS) and the answer must fit in
   * what is left. What is not claimed by then stays due for the next tick.
   */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(40);

  private final ConnectionDirectory directory;
  private final ConnectionService connections;
  private final SqsClient sqs;
  private final String queueUrl;
  private final Clock clock;
  private final Duration budget;

  public DiscoveryScheduler(
      ConnectionDirectory directory,
      ConnectionService connections,
      SqsClient sqs,
      String queueUrl,
      Clock clock) {
    this(directory, connections, sqs, queueUrl, clock, DEFAULT_BUDGET);
  }

  public DiscoveryScheduler(
      ConnectionDirectory directory,
      ConnectionService connections,
      SqsClient sqs,
      String queueUrl,
      Clock clock,
      Duration budget) {
    this.directory = directory;
    this.connections = connections;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.clock = clock;
    this.budget = budget;
  }

  /**
   * What one tick did.
   *
   * @param due connections the schedule index listed as due
   * @param queued connections claimed and queued (the others were claimed by someone else, or
   *     deferred)
   * @param deferred due connections the tick did not reach within its budget; they stay due and the
   *     next tick takes them
   * @param connections the queued connections, {@code tenant/connection}
   */
  public record TickResult(
      Instant at, int due, int queued, int deferred, List<String> connections) {}

  private record Claim(DueConnection due, Connection claimed) {}

  /**
   * One query for the due connections, then per batch of ten: one conditional claim per connection
   * and one SendMessageBatch. Claim and send go batch by batch, so a tick that fails or runs out of
   * time leaves every connection it did not queue either due (never claimed) or released (its claim
   * undone after a failed send): the next tick queues it.
   *
   * <p>Claims run one after another. At 5-10 ms per conditional write on DynamoDB, 1,000 due
   * connections take 5-10 s of claims plus 100 sends, well inside the budget; claiming in parallel
   * would shorten that but multiply the burst of writes on the one schedule partition of GSI1
   * (every claim rewrites the connection's index key there: a delete and a put of the whole
   * projected item), which is the limit that binds first (README "Fleet scale").
   */
  public TickResult tick() {
    Instant now = clock.instant();
    Instant stopAt = now.plus(budget);
    List<DueConnection> due = directory.due(now);
    List<ConnectionRef> queued = new ArrayList<>();
    int reached = 0;
    for (int i = 0; i < due.size(); i += BATCH) {
      if (!clock.instant().isBefore(stopAt)) {
        break;
      }
      List<DueConnection> chunk = due.subList(i, Math.min(i + BATCH, due.size()));
      reached += chunk.size();
      List<Claim> claims = claim(chunk, now);
      if (!claims.isEmpty()) {
        send(claims);
        claims.forEach(c -> queued.add(c.due().ref()));
      }
    }
    int deferred = due.size() - reached;
    if (deferred > 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "tick budget {0} spent: {1} of {2} due connections stay due for the next tick",
          budget,
          deferred,
          due.size());
    }
    return new TickResult(
        now,
        due.size(),
        queued.size(),
        deferred,
        queued.stream().map(ConnectionRef::toString).toList());
  }

  private List<Claim> claim(List<DueConnection> chunk, Instant now) {
    List<Claim> claims = new ArrayList<>();
    try {
      for (DueConnection d : chunk) {
        connections.claimDue(d, now).ifPresent(c -> claims.add(new Claim(d, c)));
      }
      return claims;
    } catch (RuntimeException e) {
      // Claimed but never queued: put them back before the tick fails.
      release(claims);
      throw e;
    }
  }

  private void send(List<Claim> claims) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int j = 0; j < claims.size(); j++) {
      entries.add(
          SendMessageBatchRequestEntry.builder()
              .id(Integer.toString(j))
              .messageBody(JSON.writeValueAsString(DiscoveryRequest.of(claims.get(j).due().ref())))
              .build());
    }
    SendMessageBatchResponse response;
    try {
      response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    } catch (RuntimeException e) {
      release(claims);
      throw e;
    }
    if (!response.failed().isEmpty()) {
      List<Claim> failed = new ArrayList<>();
      response.failed().forEach(f -> failed.add(claims.get(Integer.parseInt(f.id()))));
      release(failed);
      // Failing the tick makes EventBridge retry it; the retry (or the next tick) finds the
      // released connections due again.
      throw new IllegalStateException(
          response.failed().size()
              + " discovery messages could not be queued: "
              + response.failed().getFirst().message());
    }
  }

  /**
   * Undoes claims whose message was not queued. A release that fails itself (the table is failing
   * too) leaves that connection due at its next slot: delayed by one schedule interval, not lost.
   */
  private void release(List<Claim> claims) {
    for (Claim c : claims) {
      try {
        connections.releaseClaim(c.due(), c.claimed());
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "could not release the claim of {0}, it is due again at {1}: {2}",
            c.due().ref(),
            c.claimed().nextDueAt().orElse(null),
            e.getMessage());
      }
    }
  }

  /** Parses a queued message. */
  public static DiscoveryRequest parse(String body) {
    DiscoveryRequest request = JSON.readValue(body, DiscoveryRequest.class);
    request.ref(); // validates both ids
    return request;
  }
}
