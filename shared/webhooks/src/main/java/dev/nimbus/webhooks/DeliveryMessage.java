package dev.nimbus.webhooks;

import java.util.Map;
import java.util.Objects;

/**
 * One queued delivery: one event for one webhook, on the webhook delivery queue that the ci-events
 * module's {@code deliverWebhooks} function consumes. CI change events (the stream function) and
 * drift events (the drift check) are queued alike. The SQS message body is the event exactly as it
 * is POSTed (the bus envelope, so the signature is made over the same bytes every time); which
 * webhook and event it is for travel as message attributes. Nothing secret is queued: the signing
 * secret is decrypted by the delivery function at send time.
 */
public record DeliveryMessage(
    String tenantId, String webhookId, String eventId, String detailType, String body) {

  /** Message attribute names. */
  public static final String TENANT = "tenantId";

  public static final String WEBHOOK = "webhookId";
  public static final String EVENT = "eventId";
  public static final String DETAIL_TYPE = "detailType";

  public DeliveryMessage {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(body, "body");
  }

  /** The attributes of the SQS message. */
  public Map<String, String> attributes() {
    return detailType == null
        ? Map.of(TENANT, tenantId, WEBHOOK, webhookId, EVENT, eventId)
        : Map.of(TENANT, tenantId, WEBHOOK, webhookId, EVENT, eventId, DETAIL_TYPE, detailType);
  }

  /**
   * Reads a received message back.
   *
   * @throws IllegalArgumentException when an attribute is missing (a message this code did not
   *     queue)
   */
  public static DeliveryMessage of(Map<String, String> attributes, String body) {
    return new DeliveryMessage(
        required(attributes, TENANT),
        required(attributes, WEBHOOK),
        required(attributes, EVENT),
        attributes.get(DETAIL_TYPE),
        Objects.requireNonNull(body, "body"));
  }

  private static String required(Map<String, String> attributes, String name) {
    String value = attributes.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "not a webhook delivery: message attribute " + name + " is missing");
    }
    return value;
  }
}
