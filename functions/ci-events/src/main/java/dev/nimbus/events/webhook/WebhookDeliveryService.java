package dev.nimbus.events.webhook;

import dev.nimbus.aws.lambda.LogContext;
import dev.nimbus.model.Secret;
import dev.nimbus.webhooks.DeliveryMessage;
import dev.nimbus.webhooks.UrlPolicy;
import dev.nimbus.webhooks.WebhookFailure;
import dev.nimbus.webhooks.WebhookFailureRepository;
import dev.nimbus.webhooks.WebhookSubscription;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import dev.nimbus.webhooks.WebhookUrlRejectedException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Delivers a batch of queued webhook deliveries (the {@code deliverWebhooks} function on the
 * delivery queue). Each message is one event for one webhook and gets one attempt per receive,
 * bounded by the poster's whole-call deadline. Retries go through the queue: a retryable failure
 * (network error, deadline, 408, 425, 429, 5xx) sets the message's visibility to an exponential
 * backoff with jitter and reports it as a batch item failure, so the queue hands it back later and
 * nothing waits in the function meanwhile. On the last allowed receive, or at once for any other
 * answer or a URL that is no longer allowed, the delivery is kept as a {@link WebhookFailure} for
 * replay and the message is done.
 *
 * <p>Webhooks of a batch are served in parallel (one virtual thread each), each webhook's messages
 * in queue order. Once a webhook fails retryably, its later messages of the batch are handed back
 * with the same backoff without being attempted: a receiver that is down costs one deadline per
 * batch, and the other webhooks of the batch never wait for it.
 */
public final class WebhookDeliveryService {
  private static final System.Logger LOG = System.getLogger(WebhookDeliveryService.class.getName());

  /** SQS's largest visibility timeout (12 hours). */
  static final Duration MAX_VISIBILITY = Duration.ofHours(12);

  /** One received message. {@code receiveCount} is SQS's {@code ApproximateReceiveCount}. */
  public record Queued(
      DeliveryMessage message,
      String messageId,
      String receiptHandle,
      int receiveCount,
      Instant firstReceivedAt) {}

  /** What became of a message. */
  public enum Result {
    /** The receiver answered 2xx. */
    DELIVERED,
    /** Handed back to the queue for a later attempt (a batch item failure). */
    RETRYING,
    /** Kept as a webhook failure for replay; the message is done. */
    KEPT,
    /** The webhook was deleted or disabled since the event was queued; the message is done. */
    DROPPED,
    /** Neither delivered nor kept (the table did not take the failure): a batch item failure. */
    UNSETTLED
  }

  /** The outcome of one message. */
  public record Outcome(
      String messageId,
      String tenantId,
      String webhookId,
      String eventId,
      Result result,
      int status,
      String error,
      boolean deadlineExceeded) {}

  /** The outcome of a batch, in the order of the messages. */
  public record BatchResult(List<Outcome> outcomes) {
    /** The messages SQS must hand back: retrying and unsettled ones. */
    public List<String> failedMessageIds() {
      return outcomes.stream()
          .filter(o -> o.result() == Result.RETRYING || o.result() == Result.UNSETTLED)
          .map(Outcome::messageId)
          .toList();
    }

    public long count(Result result) {
      return outcomes.stream().filter(o -> o.result() == result).count();
    }

    public long deadlineExceeded() {
      return outcomes.stream().filter(Outcome::deadlineExceeded).count();
    }
  }

  /**
   * How queued deliveries are retried: {@code maxAttempts} receives in all, the wait after attempt
   * n drawn between half and all of {@code min(maxDelay, baseDelay * 2^(n-1))}.
   */
  public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    public RetryPolicy {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      Objects.requireNonNull(baseDelay, "baseDelay");
      Objects.requireNonNull(maxDelay, "maxDelay");
    }

    /** The upper bound of the wait after failed attempt {@code attempt} (1-based). */
    public Duration ceiling(int attempt) {
      long factor = 1L << Math.min(Math.max(attempt, 1) - 1, 20);
      long seconds = Math.min(maxDelay.toSeconds(), baseDelay.toSeconds() * factor);
      return Duration.ofSeconds(Math.min(seconds, MAX_VISIBILITY.toSeconds()));
    }
  }

  private final WebhookSubscriptionRepository subscriptions;
  private final WebhookFailureRepository failures;
  private final UrlPolicy urlPolicy;
  private final WebhookSender sender;
  private final SqsClient sqs;
  private final String queueUrl;
  private final RetryPolicy retry;
  private final Clock clock;

  public WebhookDeliveryService(
      WebhookSubscriptionRepository subscriptions,
      WebhookFailureRepository failures,
      UrlPolicy urlPolicy,
      WebhookSender sender,
      SqsClient sqs,
      String queueUrl,
      RetryPolicy retry,
      Clock clock) {
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.failures = Objects.requireNonNull(failures, "failures");
    this.urlPolicy = Objects.requireNonNull(urlPolicy, "urlPolicy");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Delivers the batch; see the class comment. */
  public BatchResult handle(List<Queued> batch) {
    Map<String, List<Queued>> byWebhook = new LinkedHashMap<>();
    for (Queued q : batch) {
      byWebhook
          .computeIfAbsent(
              q.message().tenantId() + "/" + q.message().webhookId(), k -> new ArrayList<>())
          .add(q);
    }
    Map<String, Outcome> outcomes = Collections.synchronizedMap(new LinkedHashMap<>());
    List<Runnable> tasks = new ArrayList<>();
    for (List<Queued> group : byWebhook.values()) {
      tasks.add(
          () -> {
            try (var scope = LogContext.forRun(group.getFirst().message().tenantId(), null, null)) {
              deliverGroup(group).forEach(o -> outcomes.put(o.messageId(), o));
            }
          });
    }
    runAll(tasks);
    List<Outcome> ordered = new ArrayList<>();
    for (Queued q : batch) {
      Outcome o = outcomes.get(q.messageId());
      ordered.add(
          o != null ? o : outcome(q, Result.UNSETTLED, 0, "the delivery task broke off", false));
    }
    return new BatchResult(List.copyOf(ordered));
  }

  private List<Outcome> deliverGroup(List<Queued> group) {
    DeliveryMessage first = group.getFirst().message();
    List<Outcome> out = new ArrayList<>();
    Optional<WebhookSubscriptionRepository.Stored> stored;
    try {
      stored = subscriptions.find(first.tenantId(), first.webhookId());
    } catch (RuntimeException e) {
      String error = "cannot read the webhook: " + e.getClass().getSimpleName();
      group.forEach(q -> out.add(retryOrKeep(q, 0, error, false)));
      return out;
    }
    if (stored.isEmpty() || !stored.get().subscription().enabled()) {
      for (Queued q : group) {
        LOG.log(
            Level.INFO,
            "event {0} not delivered: webhook {1} of tenant {2} was deleted or disabled",
            q.message().eventId(),
            first.webhookId(),
            first.tenantId());
        out.add(outcome(q, Result.DROPPED, 0, "webhook deleted or disabled", false));
      }
      return out;
    }
    WebhookSubscription sub = stored.get().subscription();
    UrlPolicy.Target target;
    try {
      target = urlPolicy.check(sub.url());
    } catch (WebhookUrlRejectedException e) {
      group.forEach(q -> out.add(keep(q, 0, e.getMessage(), false)));
      return out;
    }
    Secret secret;
    try {
      secret = subscriptions.decryptSecret(stored.get());
    } catch (RuntimeException e) {
      String error = "the webhook secret could not be decrypted";
      group.forEach(q -> out.add(retryOrKeep(q, 0, error, false)));
      return out;
    }
    try {
      WebhookSender.Outcome down = null;
      for (Queued q : group) {
        if (down != null) {
          out.add(
              retryOrKeep(
                  q,
                  down.status(),
                  "not attempted: the receiver failed earlier in this batch (" + down.error() + ")",
                  false));
          continue;
        }
        DeliveryMessage m = q.message();
        WebhookSender.Outcome sent =
            sender.send(target, m.webhookId(), m.eventId(), q.receiveCount(), m.body(), secret);
        LOG.log(
            Level.INFO,
            "webhook {0} event {1} attempt {2}: {3}",
            m.webhookId(),
            m.eventId(),
            q.receiveCount(),
            sent.delivered() ? "delivered, HTTP " + sent.status() : sent.error());
        if (sent.delivered()) {
          out.add(outcome(q, Result.DELIVERED, sent.status(), null, false));
        } else if (sent.retryable()) {
          out.add(retryOrKeep(q, sent.status(), sent.error(), sent.deadlineExceeded()));
          down = sent;
        } else {
          out.add(keep(q, sent.status(), sent.error(), false));
        }
      }
    } finally {
      secret.destroy();
    }
    return out;
  }

  /** Hands the message back with a backoff, or keeps it when this was its last attempt. */
  private Outcome retryOrKeep(Queued q, int status, String error, boolean deadline) {
    if (q.receiveCount() >= retry.maxAttempts()) {
      return keep(q, status, error, deadline);
    }
    long ceiling = retry.ceiling(q.receiveCount()).toSeconds();
    long wait = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    try {
      sqs.changeMessageVisibility(
          b -> b.queueUrl(queueUrl).receiptHandle(q.receiptHandle()).visibilityTimeout((int) wait));
    } catch (SdkException e) {
      // It still comes back, after the queue's own visibility timeout.
      LOG.log(
          Level.WARNING,
          "cannot delay the retry of event {0}: {1}",
          q.message().eventId(),
          e.getClass().getSimpleName());
    }
    return outcome(q, Result.RETRYING, status, error, deadline);
  }

  private Outcome keep(Queued q, int status, String error, boolean deadline) {
    DeliveryMessage m = q.message();
    Instant now = clock.instant();
    try {
      failures.record(
          new WebhookFailure(
              m.tenantId(),
              m.webhookId(),
              m.eventId(),
              m.detailType(),
              m.body(),
              q.receiveCount(),
              status,
              error,
              q.firstReceivedAt() == null ? now : q.firstReceivedAt(),
              now));
      LOG.log(
          Level.WARNING,
          "webhook {0} event {1} kept for replay after {2} attempts: {3}",
          m.webhookId(),
          m.eventId(),
          q.receiveCount(),
          error);
      return outcome(q, Result.KEPT, status, error, deadline);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "cannot keep the failed delivery of event {0} to webhook {1}: {2}",
          m.eventId(),
          m.webhookId(),
          e.getClass().getSimpleName());
      return outcome(q, Result.UNSETTLED, status, error, deadline);
    }
  }

  private static Outcome outcome(
      Queued q, Result result, int status, String error, boolean deadline) {
    DeliveryMessage m = q.message();
    return new Outcome(
        q.messageId(), m.tenantId(), m.webhookId(), m.eventId(), result, status, error, deadline);
  }

  private static void runAll(List<Runnable> tasks) {
    if (tasks.size() == 1) {
      tasks.getFirst().run();
      return;
    }
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      // Each delivery logs with the invocation's request id.
      List<Future<?>> futures =
          tasks.stream().<Future<?>>map(t -> executor.submit(LogContext.propagating(t))).toList();
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          // The group's messages stay unsettled and come back; the others keep their outcome.
          LOG.log(Level.ERROR, "a webhook delivery task failed: {0}", e.getCause().toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
