package dev.nimbus.events.webhook;

import dev.nimbus.aws.lambda.LogContext;
import dev.nimbus.events.Backoff;
import dev.nimbus.events.CiChangeEvent;
import dev.nimbus.events.CiChangeEventJson;
import dev.nimbus.events.DetailTypes;
import dev.nimbus.model.Secret;
import dev.nimbus.webhooks.HttpsPoster;
import dev.nimbus.webhooks.UrlPolicy;
import dev.nimbus.webhooks.WebhookFailure;
import dev.nimbus.webhooks.WebhookFailureRepository;
import dev.nimbus.webhooks.WebhookSigner;
import dev.nimbus.webhooks.WebhookSubscription;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import dev.nimbus.webhooks.WebhookUrlRejectedException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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

/**
 * POSTs CI change events to the tenants' matching webhooks, signed with each webhook's secret
 * ({@link WebhookSigner}). A delivery is retried with backoff on network errors, 408, 425, 429 and
 * 5xx; after the last attempt (or at once on another answer, or when the URL is no longer allowed)
 * it is kept as a {@link WebhookFailure} that {@link #replay} sends again later.
 *
 * <p>Webhooks of one batch are served in parallel, one virtual thread each, and each webhook gets
 * its events in stream order. Once a webhook has failed all retries for one event of a batch, its
 * later events of that batch are kept as failures without being attempted, so a receiver that is
 * down costs one event's retries per batch, not one per event. Receivers deduplicate on {@value
 * WebhookSigner#EVENT_ID_HEADER}: a re-delivered stream record or a replay sends the same event id
 * again.
 */
public final class WebhookDispatcher {
  private static final System.Logger LOG = System.getLogger(WebhookDispatcher.class.getName());

  /** The webhook id header. */
  public static final String WEBHOOK_ID_HEADER = "Nimbus-Webhook-Id";

  private final WebhookSubscriptionRepository subscriptions;
  private final WebhookFailureRepository failures;
  private final UrlPolicy urlPolicy;
  private final HttpsPoster poster;
  private final Backoff backoff;
  private final Clock clock;

  public WebhookDispatcher(
      WebhookSubscriptionRepository subscriptions,
      WebhookFailureRepository failures,
      UrlPolicy urlPolicy,
      HttpsPoster poster,
      Backoff backoff,
      Clock clock) {
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.failures = Objects.requireNonNull(failures, "failures");
    this.urlPolicy = Objects.requireNonNull(urlPolicy, "urlPolicy");
    this.poster = Objects.requireNonNull(poster, "poster");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The outcome of one event at one webhook. */
  public record Delivery(
      String webhookId,
      String eventId,
      boolean delivered,
      int attempts,
      int lastStatus,
      String lastError) {}

  /**
   * What a dispatch did. {@code unsettled} are events for which a failure could be neither
   * delivered nor recorded (the table was unreachable): their stream records must be retried.
   */
  public record Report(List<Delivery> deliveries, List<CiChangeEvent> unsettled) {
    public long delivered() {
      return deliveries.stream().filter(Delivery::delivered).count();
    }

    public long failed() {
      return deliveries.stream().filter(d -> !d.delivered()).count();
    }
  }

  /** What a replay did: failures delivered now, and those still failing (kept, updated). */
  public record ReplayReport(int delivered, List<WebhookFailure> stillFailing) {}

  /** Delivers each event to every matching webhook of its tenant. */
  public Report dispatch(List<CiChangeEvent> events) {
    Map<String, List<CiChangeEvent>> byTenant = new LinkedHashMap<>();
    events.forEach(e -> byTenant.computeIfAbsent(e.tenantId(), t -> new ArrayList<>()).add(e));
    List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
    List<CiChangeEvent> unsettled = Collections.synchronizedList(new ArrayList<>());
    List<Runnable> tasks = new ArrayList<>();
    for (Map.Entry<String, List<CiChangeEvent>> tenant : byTenant.entrySet()) {
      List<WebhookSubscriptionRepository.Stored> subs;
      try {
        subs = subscriptions.list(tenant.getKey());
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "cannot read webhooks of tenant {0}: {1}",
            tenant.getKey(),
            e.toString());
        unsettled.addAll(tenant.getValue());
        continue;
      }
      for (WebhookSubscriptionRepository.Stored stored : subs) {
        List<CiChangeEvent> matching =
            tenant.getValue().stream()
                .filter(
                    e ->
                        stored
                            .subscription()
                            .matches(e.tenantId(), e.ci().semanticType(), e.kind()))
                .toList();
        if (!matching.isEmpty()) {
          tasks.add(
              () -> {
                try {
                  deliverAll(stored, matching, deliveries, unsettled);
                } catch (RuntimeException e) {
                  LOG.log(
                      Level.WARNING,
                      "delivery to {0} broke off: {1}",
                      stored.subscription(),
                      e.toString());
                  unsettled.addAll(matching);
                }
              });
        }
      }
    }
    runAll(tasks);
    return new Report(List.copyOf(deliveries), List.copyOf(unsettled));
  }

  private void deliverAll(
      WebhookSubscriptionRepository.Stored stored,
      List<CiChangeEvent> events,
      List<Delivery> deliveries,
      List<CiChangeEvent> unsettled) {
    WebhookSubscription sub = stored.subscription();
    Optional<UrlPolicy.Target> target;
    String refusal = null;
    try {
      target = Optional.of(urlPolicy.check(sub.url()));
    } catch (WebhookUrlRejectedException e) {
      target = Optional.empty();
      refusal = e.getMessage();
    }
    Secret secret = null;
    try {
      if (target.isPresent()) {
        secret = subscriptions.decryptSecret(stored);
      }
    } catch (RuntimeException e) {
      refusal = "the webhook secret could not be decrypted";
      target = Optional.empty();
    }
    Attempts downSince = null;
    try {
      for (CiChangeEvent event : events) {
        String body = CiChangeEventJson.envelope(event);
        Attempts outcome;
        if (target.isEmpty()) {
          outcome = new Attempts(false, 0, 0, refusal, false);
        } else if (downSince != null) {
          // The receiver failed every attempt for an earlier event of this batch: keep the rest
          // for replay at once rather than spend the function's time on timeouts.
          outcome =
              new Attempts(
                  false,
                  0,
                  downSince.lastStatus(),
                  "not attempted: the receiver failed earlier in this batch ("
                      + downSince.lastError()
                      + ")",
                  true);
        } else {
          outcome = attempt(target.get(), sub.id(), event.eventId(), body, secret);
          if (outcome.receiverDown()) {
            downSince = outcome;
          }
        }
        deliveries.add(
            new Delivery(
                sub.id(),
                event.eventId(),
                outcome.delivered(),
                outcome.count(),
                outcome.lastStatus(),
                outcome.lastError()));
        if (!outcome.delivered()) {
          Instant now = clock.instant();
          try {
            failures.record(
                new WebhookFailure(
                    sub.tenantId(),
                    sub.id(),
                    event.eventId(),
                    DetailTypes.of(event.kind()),
                    body,
                    outcome.count(),
                    outcome.lastStatus(),
                    outcome.lastError(),
                    now,
                    now));
          } catch (RuntimeException e) {
            LOG.log(
                Level.WARNING,
                "cannot record the failed delivery of {0} to {1}: {2}",
                event.eventId(),
                sub,
                e.toString());
            unsettled.add(event);
          }
        }
      }
    } finally {
      if (secret != null) {
        secret.destroy();
      }
    }
  }

  /** Sends the kept failures of a tenant (of one webhook when {@code webhookId} is not null). */
  public ReplayReport replay(String tenantId, String webhookId) {
    int delivered = 0;
    List<WebhookFailure> still = new ArrayList<>();
    Map<String, List<WebhookFailure>> byWebhook = new LinkedHashMap<>();
    failures
        .list(tenantId, webhookId)
        .forEach(f -> byWebhook.computeIfAbsent(f.webhookId(), k -> new ArrayList<>()).add(f));
    for (Map.Entry<String, List<WebhookFailure>> entry : byWebhook.entrySet()) {
      Optional<WebhookSubscriptionRepository.Stored> stored =
          subscriptions.find(tenantId, entry.getKey());
      if (stored.isEmpty() || !stored.get().subscription().enabled()) {
        // Kept as they are: the webhook may be re-created or enabled again before they expire.
        still.addAll(entry.getValue());
        continue;
      }
      UrlPolicy.Target target;
      try {
        target = urlPolicy.check(stored.get().subscription().url());
      } catch (WebhookUrlRejectedException e) {
        for (WebhookFailure f : entry.getValue()) {
          WebhookFailure again = f.failedAgain(0, 0, e.getMessage(), clock.instant());
          failures.record(again);
          still.add(again);
        }
        continue;
      }
      Secret secret = subscriptions.decryptSecret(stored.get());
      try {
        for (WebhookFailure f : entry.getValue()) {
          Attempts outcome = attempt(target, f.webhookId(), f.eventId(), f.body(), secret);
          if (outcome.delivered()) {
            failures.delete(f);
            delivered++;
          } else {
            WebhookFailure again =
                f.failedAgain(
                    outcome.count(), outcome.lastStatus(), outcome.lastError(), clock.instant());
            failures.record(again);
            still.add(again);
          }
        }
      } finally {
        secret.destroy();
      }
    }
    return new ReplayReport(delivered, List.copyOf(still));
  }

  /**
   * The outcome of one delivery; {@code receiverDown} when the last failure was a retryable one.
   */
  private record Attempts(
      boolean delivered, int count, int lastStatus, String lastError, boolean receiverDown) {}

  private Attempts attempt(
      UrlPolicy.Target target, String webhookId, String eventId, String body, Secret secret) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    int lastStatus = 0;
    String lastError = null;
    for (int attempt = 1; ; attempt++) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put(WebhookSigner.EVENT_ID_HEADER, eventId);
      headers.put(WEBHOOK_ID_HEADER, webhookId);
      headers.put(
          WebhookSigner.SIGNATURE_HEADER,
          WebhookSigner.sign(secret.reveal(), clock.instant(), bytes));
      boolean retryable;
      try {
        int status = poster.post(target, headers, bytes);
        if (status >= 200 && status < 300) {
          return new Attempts(true, attempt, status, null, false);
        }
        lastStatus = status;
        lastError = "HTTP " + status;
        retryable = status == 408 || status == 425 || status == 429 || status >= 500;
      } catch (IOException e) {
        lastStatus = 0;
        lastError =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        retryable = true;
      }
      LOG.log(
          Level.INFO,
          "webhook {0} event {1} attempt {2}: {3}",
          webhookId,
          eventId,
          attempt,
          lastError);
      if (!retryable || !backoff.pauseAfter(attempt)) {
        return new Attempts(false, attempt, lastStatus, lastError, retryable);
      }
    }
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
          throw new IllegalStateException("webhook delivery task failed", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while delivering webhooks", e);
        }
      }
    }
  }
}
