package dev.nimbus.webhooks;

import java.time.Instant;
import java.util.Objects;

/**
 * A delivery that failed on every attempt, kept so it can be replayed: the exact body that was sent
 * (the event JSON; a fresh timestamp and signature are made on replay), how often it was tried and
 * the last outcome. {@code lastStatus} is 0 when no HTTP answer came.
 */
public record WebhookFailure(
    String tenantId,
    String webhookId,
    String eventId,
    String detailType,
    String body,
    int attempts,
    int lastStatus,
    String lastError,
    Instant firstFailedAt,
    Instant lastAttemptAt) {

  public WebhookFailure {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(firstFailedAt, "firstFailedAt");
    Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
  }

  /** The same failure after one more unsuccessful round of attempts. */
  public WebhookFailure failedAgain(int moreAttempts, int status, String error, Instant at) {
    return new WebhookFailure(
        tenantId,
        webhookId,
        eventId,
        detailType,
        body,
        attempts + moreAttempts,
        status,
        error,
        firstFailedAt,
        at);
  }

  @Override
  public String toString() {
    return "WebhookFailure["
        + tenantId
        + "/"
        + webhookId
        + " event "
        + eventId
        + ", "
        + attempts
        + " attempts, last: "
        + lastError
        + "]";
  }
}
