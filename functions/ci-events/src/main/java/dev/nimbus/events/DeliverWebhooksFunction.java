package dev.nimbus.events;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.nimbus.aws.metrics.Metrics;
import dev.nimbus.events.webhook.WebhookDeliveryService;
import dev.nimbus.events.webhook.WebhookDeliveryService.Result;
import dev.nimbus.webhooks.DeliveryMessage;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Lambda function on the webhook delivery queue ({@code deliverWebhooks}): reads each message's
 * delivery, lets {@link WebhookDeliveryService} deliver the batch, emits one metric record and
 * answers with the messages to hand back ({@code ReportBatchItemFailures}), so only those come
 * again. A message that is not a delivery (no attributes this code writes) is reported once and
 * dropped.
 */
public final class DeliverWebhooksFunction implements Function<SQSEvent, SQSBatchResponse> {
  private static final System.Logger LOG =
      System.getLogger(DeliverWebhooksFunction.class.getName());

  /** The dimension value of the batch metrics. */
  public static final String SERVICE = "webhook-delivery";

  private final WebhookDeliveryService service;
  private final Metrics metrics;

  public DeliverWebhooksFunction(WebhookDeliveryService service, Metrics metrics) {
    this.service = service;
    this.metrics = metrics;
  }

  @Override
  public SQSBatchResponse apply(SQSEvent event) {
    List<WebhookDeliveryService.Queued> batch = new ArrayList<>();
    int malformed = 0;
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      try {
        batch.add(queued(message));
      } catch (RuntimeException e) {
        malformed++;
        LOG.log(
            Level.ERROR,
            "message {0} is not a webhook delivery and is dropped: {1}",
            message.getMessageId(),
            e.getMessage());
      }
    }
    WebhookDeliveryService.BatchResult result = service.handle(batch);
    metrics.emit(
        metrics
            .record()
            .dimension("Service", SERVICE)
            .count("Messages", event.getRecords().size())
            .count("Delivered", result.count(Result.DELIVERED))
            .count("Retrying", result.count(Result.RETRYING))
            .count("Kept", result.count(Result.KEPT))
            .count("Dropped", result.count(Result.DROPPED) + malformed)
            .count("DeadlineExceeded", result.deadlineExceeded())
            .count("FailedMessages", result.failedMessageIds().size()));
    return new SQSBatchResponse(
        result.failedMessageIds().stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
  }

  static WebhookDeliveryService.Queued queued(SQSEvent.SQSMessage message) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (message.getMessageAttributes() != null) {
      message
          .getMessageAttributes()
          .forEach(
              (name, value) -> {
                if (value != null && value.getStringValue() != null) {
                  attributes.put(name, value.getStringValue());
                }
              });
    }
    Map<String, String> system =
        message.getAttributes() == null ? Map.of() : message.getAttributes();
    int receiveCount = Integer.parseInt(system.getOrDefault("ApproximateReceiveCount", "1"));
    String first = system.get("ApproximateFirstReceiveTimestamp");
    return new WebhookDeliveryService.Queued(
        DeliveryMessage.of(attributes, message.getBody()),
        message.getMessageId(),
        message.getReceiptHandle(),
        Math.max(1, receiveCount),
        first == null ? null : Instant.ofEpochMilli(Long.parseLong(first)));
  }
}
