package dev.nimbus.events.webhook;

import dev.nimbus.events.Backoff;
import dev.nimbus.model.Secret;
import dev.nimbus.webhooks.UrlPolicy;
import dev.nimbus.webhooks.WebhookFailure;
import dev.nimbus.webhooks.WebhookFailureRepository;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import dev.nimbus.webhooks.WebhookUrlRejectedException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends kept webhook failures again (the {@code replayWebhooks} function), with a fresh timestamp
 * and signature and the same event id: a delivered one is deleted, one that fails again is updated
 * in place. Each failure gets a few attempts with backoff inside the invocation, every attempt
 * bounded by the poster's whole-call deadline; once a webhook has failed all attempts for one
 * failure, its other failures are left as they are for a later replay rather than spend the
 * invocation on a receiver that is down.
 */
public final class WebhookReplayer {
  private static final System.Logger LOG = System.getLogger(WebhookReplayer.class.getName());

  private final WebhookSubscriptionRepository subscriptions;
  private final WebhookFailureRepository failures;
  private final UrlPolicy urlPolicy;
  private final WebhookSender sender;
  private final Backoff backoff;
  private final Clock clock;

  public WebhookReplayer(
      WebhookSubscriptionRepository subscriptions,
      WebhookFailureRepository failures,
      UrlPolicy urlPolicy,
      WebhookSender sender,
      Backoff backoff,
      Clock clock) {
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.failures = Objects.requireNonNull(failures, "failures");
    this.urlPolicy = Objects.requireNonNull(urlPolicy, "urlPolicy");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What a replay did: failures delivered now, and those still failing (kept). */
  public record ReplayReport(int delivered, List<WebhookFailure> stillFailing) {}

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
      boolean down = false;
      try {
        for (WebhookFailure f : entry.getValue()) {
          if (down) {
            still.add(f);
            continue;
          }
          int attempts = 0;
          WebhookSender.Outcome outcome;
          do {
            attempts++;
            outcome =
                sender.send(
                    target, f.webhookId(), f.eventId(), f.attempts() + attempts, f.body(), secret);
            LOG.log(
                Level.INFO,
                "replay of event {0} to webhook {1}, attempt {2}: {3}",
                f.eventId(),
                f.webhookId(),
                attempts,
                outcome.delivered() ? "HTTP " + outcome.status() : outcome.error());
          } while (!outcome.delivered() && outcome.retryable() && backoff.pauseAfter(attempts));
          if (outcome.delivered()) {
            failures.delete(f);
            delivered++;
          } else {
            WebhookFailure again =
                f.failedAgain(attempts, outcome.status(), outcome.error(), clock.instant());
            failures.record(again);
            still.add(again);
            down = outcome.retryable();
          }
        }
      } finally {
        secret.destroy();
      }
    }
    return new ReplayReport(delivered, List.copyOf(still));
  }
}
