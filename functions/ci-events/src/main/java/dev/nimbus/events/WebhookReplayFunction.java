package dev.nimbus.events;

import dev.nimbus.events.webhook.WebhookDispatcher;
import dev.nimbus.webhooks.WebhookFailure;
import java.util.List;
import java.util.function.Function;

/**
 * A second entry point of the same jar ({@code SPRING_CLOUD_FUNCTION_DEFINITION=replayWebhooks}):
 * sends the kept webhook failures of a tenant again, or of one of its webhooks. Invoke it with
 * {@code {"tenantId": "acme", "webhookId": "ops-chat"}} ({@code webhookId} optional).
 */
public final class WebhookReplayFunction
    implements Function<WebhookReplayFunction.Request, WebhookReplayFunction.Response> {

  /** Which failures to replay. */
  public record Request(String tenantId, String webhookId) {}

  /** One failure that is still failing after the replay. */
  public record StillFailing(
      String webhookId, String eventId, int attempts, int lastStatus, String lastError) {}

  /** What the replay did. */
  public record Response(int delivered, List<StillFailing> stillFailing) {}

  private final WebhookDispatcher dispatcher;

  public WebhookReplayFunction(WebhookDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public Response apply(Request request) {
    if (request == null || request.tenantId() == null || request.tenantId().isBlank()) {
      throw new IllegalArgumentException("tenantId is required");
    }
    WebhookDispatcher.ReplayReport report =
        dispatcher.replay(request.tenantId(), blankToNull(request.webhookId()));
    return new Response(
        report.delivered(),
        report.stillFailing().stream().map(WebhookReplayFunction::summary).toList());
  }

  private static StillFailing summary(WebhookFailure f) {
    return new StillFailing(
        f.webhookId(), f.eventId(), f.attempts(), f.lastStatus(), f.lastError());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
