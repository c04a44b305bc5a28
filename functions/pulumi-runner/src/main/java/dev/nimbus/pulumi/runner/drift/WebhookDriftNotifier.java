package dev.nimbus.pulumi.runner.drift;

import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.model.Secret;
import dev.nimbus.model.SemanticType;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POSTs drift events to the tenant's webhooks the way CI change events are delivered (shared/
 * webhooks: the URL policy checked before each delivery and the call made to the checked address,
 * the {@code Nimbus-Signature} HMAC, {@code Nimbus-Event-Id} for deduplication, retries on network
 * errors, 408, 425, 429 and 5xx, and a delivery that fails every attempt kept as a {@code WHFAIL#}
 * item that the ci-events replay function sends again).
 *
 * <p>A subscription gets drift events when it has no change-kind filter (change kinds are CI change
 * kinds) and its semantic-type filter is empty or names the drifted resource's type.
 */
public final class WebhookDriftNotifier implements DriftNotifier {
  private static final System.Logger LOG = System.getLogger(WebhookDriftNotifier.class.getName());

  private final WebhookSubscriptionRepository subscriptions;
  private final WebhookFailureRepository failures;
  private final UrlPolicy urlPolicy;
  private final HttpsPoster poster;
  private final int maxAttempts;
  private final Duration firstPause;
  private final Clock clock;

  public WebhookDriftNotifier(
      WebhookSubscriptionRepository subscriptions,
      WebhookFailureRepository failures,
      UrlPolicy urlPolicy,
      HttpsPoster poster,
      int maxAttempts,
      Duration firstPause,
      Clock clock) {
    this.subscriptions = subscriptions;
    this.failures = failures;
    this.urlPolicy = urlPolicy;
    this.poster = poster;
    this.maxAttempts = maxAttempts;
    this.firstPause = firstPause;
    this.clock = clock;
  }

  static boolean wants(WebhookSubscription s, Drift d) {
    if (!s.enabled()
        || !s.tenantId().equals(d.connection().tenantId())
        || !s.changeKinds().isEmpty()) {
      return false;
    }
    if (s.semanticTypes().isEmpty()) {
      return true;
    }
    try {
      return d.semanticType() != null
          && s.semanticTypes().contains(SemanticType.valueOf(d.semanticType()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public List<DriftEvents.Event> send(List<DriftEvents.Event> events) {
    List<DriftEvents.Event> unsettled = new ArrayList<>();
    Map<String, List<DriftEvents.Event>> byTenant = new LinkedHashMap<>();
    events.forEach(e -> byTenant.computeIfAbsent(e.tenantId(), t -> new ArrayList<>()).add(e));
    for (var tenant : byTenant.entrySet()) {
      List<WebhookSubscriptionRepository.Stored> subs;
      try {
        subs = subscriptions.list(tenant.getKey());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "cannot read webhooks of tenant {0}: {1}", tenant.getKey(), e);
        unsettled.addAll(tenant.getValue());
        continue;
      }
      for (var stored : subs) {
        List<DriftEvents.Event> matching =
            tenant.getValue().stream()
                .filter(e -> wants(stored.subscription(), e.drift()))
                .toList();
        if (!matching.isEmpty()) {
          unsettled.addAll(deliver(stored, matching));
        }
      }
    }
    return unsettled.stream().distinct().toList();
  }

  private List<DriftEvents.Event> deliver(
      WebhookSubscriptionRepository.Stored stored, List<DriftEvents.Event> events) {
    WebhookSubscription sub = stored.subscription();
    UrlPolicy.Target target = null;
    String refusal = null;
    try {
      target = urlPolicy.check(sub.url());
    } catch (WebhookUrlRejectedException e) {
      refusal = e.getMessage();
    }
    Secret secret = null;
    List<DriftEvents.Event> unsettled = new ArrayList<>();
    try {
      if (target != null) {
        secret = subscriptions.decryptSecret(stored);
      }
      for (DriftEvents.Event e : events) {
        String body = DriftEvents.envelope(e);
        int[] outcome = {0, 0};
        String error = refusal;
        if (target != null) {
          error = attempt(target, sub.id(), e.eventId(), body, secret, outcome);
        }
        if (error != null) {
          Instant now = clock.instant();
          try {
            failures.record(
                new WebhookFailure(
                    sub.tenantId(),
                    sub.id(),
                    e.eventId(),
                    e.detailType(),
                    body,
                    outcome[0],
                    outcome[1],
                    error,
                    now,
                    now));
          } catch (RuntimeException ex) {
            unsettled.add(e);
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "delivery to {0} broke off: {1}", sub, e.toString());
      unsettled.addAll(events);
    } finally {
      if (secret != null) {
        secret.destroy();
      }
    }
    return unsettled;
  }

  /** Null when delivered; else the last error. {@code outcome}: attempts, last status. */
  private String attempt(
      UrlPolicy.Target target,
      String webhookId,
      String eventId,
      String body,
      Secret secret,
      int[] outcome) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Duration pause = firstPause;
    String error = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      outcome[0] = attempt;
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put(WebhookSigner.EVENT_ID_HEADER, eventId);
      headers.put("Nimbus-Webhook-Id", webhookId);
      headers.put(
          WebhookSigner.SIGNATURE_HEADER,
          WebhookSigner.sign(secret.reveal(), clock.instant(), bytes));
      boolean retryable;
      try {
        int status = poster.post(target, headers, bytes);
        outcome[1] = status;
        if (status >= 200 && status < 300) {
          return null;
        }
        error = "HTTP " + status;
        retryable = status == 408 || status == 425 || status == 429 || status >= 500;
      } catch (IOException e) {
        outcome[1] = 0;
        error =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        retryable = true;
      }
      if (!retryable || attempt == maxAttempts) {
        break;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      pause = pause.multipliedBy(2);
    }
    return error;
  }
}
