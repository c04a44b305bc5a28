package dev.nimbus.events.webhook;

import dev.nimbus.model.Secret;
import dev.nimbus.webhooks.HttpsPoster;
import dev.nimbus.webhooks.UrlPolicy;
import dev.nimbus.webhooks.WebhookDeadlineExceededException;
import dev.nimbus.webhooks.WebhookSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One signed POST of an event to a webhook: the headers every delivery carries (event id for
 * deduplication, webhook id, attempt number, a fresh signature), the call through {@link
 * HttpsPoster} with its whole-call deadline, and the classification of the outcome. Retrying is the
 * caller's business: the delivery queue for queued deliveries, an in-process backoff for replays.
 */
public final class WebhookSender {
  /** The webhook id header. */
  public static final String WEBHOOK_ID_HEADER = "Nimbus-Webhook-Id";

  /** Which delivery attempt this is (1 for the first), so a receiver can tell retries apart. */
  public static final String ATTEMPT_HEADER = "Nimbus-Delivery-Attempt";

  private final HttpsPoster poster;
  private final Clock clock;

  public WebhookSender(HttpsPoster poster, Clock clock) {
    this.poster = Objects.requireNonNull(poster, "poster");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The outcome of one attempt. {@code status} is 0 when no HTTP answer came; {@code retryable} for
   * network errors, the deadline, 408, 425, 429 and 5xx; {@code error} never holds the secret.
   */
  public record Outcome(
      boolean delivered, int status, String error, boolean retryable, boolean deadlineExceeded) {}

  /** Signs {@code body} with {@code secret} now and POSTs it once. */
  public Outcome send(
      UrlPolicy.Target target,
      String webhookId,
      String eventId,
      int attempt,
      String body,
      Secret secret) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(WebhookSigner.EVENT_ID_HEADER, eventId);
    headers.put(WEBHOOK_ID_HEADER, webhookId);
    headers.put(ATTEMPT_HEADER, Integer.toString(attempt));
    headers.put(
        WebhookSigner.SIGNATURE_HEADER,
        WebhookSigner.sign(secret.reveal(), clock.instant(), bytes));
    try {
      int status = poster.post(target, headers, bytes);
      if (status >= 200 && status < 300) {
        return new Outcome(true, status, null, false, false);
      }
      boolean retryable = status == 408 || status == 425 || status == 429 || status >= 500;
      return new Outcome(false, status, "HTTP " + status, retryable, false);
    } catch (WebhookDeadlineExceededException e) {
      return new Outcome(false, 0, e.getMessage(), true, true);
    } catch (IOException e) {
      // Network and TLS errors name hosts, addresses and causes, never the request's headers.
      return new Outcome(
          false,
          0,
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          true,
          false);
    }
  }
}
