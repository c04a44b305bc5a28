package dev.nimbus.events;

import dev.nimbus.aws.ConfigCheck;
import dev.nimbus.netpolicy.Cidr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;

/**
 * Configuration of the ci-events functions, read once at start-up from {@code nimbus.events.*}
 * ({@code application.properties} maps the Lambda environment onto it: {@code TABLE_NAME}, {@code
 * EVENT_BUS_NAME}, {@code TOKEN_KEY_ID}, {@code NIMBUS_LOCAL_MODE}, ...) and checked as a whole: a
 * function that cannot run fails to start and names every missing or invalid variable.
 *
 * @param region the AWS region ({@code AWS_REGION}); required, never guessed
 * @param tableName the Nimbus table
 * @param eventBusName the custom bus events go to
 * @param tokenKeyId the KMS key (id, ARN or alias) of webhook secrets
 * @param localMode allow loopback webhook URLs (local run and tests only)
 * @param webhookAllowedCidrs private ranges webhooks may call, explicitly allowed
 * @param webhookTrustPem a PEM file whose certificates alone are trusted for webhook TLS (local run
 *     and tests); empty means the JVM's trust store
 * @param webhookDeliveryQueueUrl the queue of webhook deliveries ({@code
 *     WEBHOOK_DELIVERY_QUEUE_URL}); required by {@code ciEvents} and {@code deliverWebhooks}
 * @param webhookDeadline the whole-call deadline of one delivery attempt ({@code WEBHOOK_DEADLINE})
 * @param webhookMaxAttempts attempts of a queued delivery before it is kept for replay
 * @param webhookRetryDelay the queue's wait after the first failed attempt, doubling per attempt
 * @param webhookMaxRetryDelay the longest wait between two attempts of a queued delivery
 * @param webhookReplayAttempts attempts per kept failure within one replay
 * @param webhookBackoff the first wait between two attempts within one replay
 * @param webhookMaxBackoff the longest wait between two attempts within one replay
 */
public record CiEventsProperties(
    Region region,
    String tableName,
    String eventBusName,
    String tokenKeyId,
    boolean localMode,
    List<String> webhookAllowedCidrs,
    String webhookTrustPem,
    String webhookDeliveryQueueUrl,
    Duration webhookConnectTimeout,
    Duration webhookReadTimeout,
    Duration webhookDeadline,
    int webhookMaxAttempts,
    Duration webhookRetryDelay,
    Duration webhookMaxRetryDelay,
    int webhookReplayAttempts,
    Duration webhookBackoff,
    Duration webhookMaxBackoff,
    int publishMaxAttempts,
    Duration publishBackoff,
    Duration failureRetention) {

  public CiEventsProperties {
    webhookAllowedCidrs = List.copyOf(webhookAllowedCidrs);
  }

  /**
   * Reads and checks the configuration.
   *
   * @param lookup the Spring environment's value of a key ({@code nimbus.events.*}, {@code
   *     AWS_REGION}, {@code aws.region})
   * @param functionDefinition the function being started, for the message
   * @throws IllegalStateException naming every missing or invalid variable
   */
  public static CiEventsProperties read(
      Function<String, String> lookup, String functionDefinition) {
    ConfigCheck check =
        new ConfigCheck(
            "the ci-events function "
                + (functionDefinition == null ? "" : functionDefinition).trim(),
            lookup);
    Region region = check.region();
    String table = check.required("nimbus.events.table-name", "TABLE_NAME");
    String bus = check.required("nimbus.events.event-bus-name", "EVENT_BUS_NAME");
    String key = check.required("nimbus.events.token-key-id", "TOKEN_KEY_ID");
    boolean local = check.bool("nimbus.events.local-mode", "NIMBUS_LOCAL_MODE", false);
    List<String> cidrs = new ArrayList<>();
    for (String cidr : check.optional("nimbus.events.webhook-allowed-cidrs").split(",")) {
      if (cidr.isBlank()) {
        continue;
      }
      try {
        Cidr.parse(cidr.trim());
        cidrs.add(cidr.trim());
      } catch (IllegalArgumentException e) {
        check.problem(
            "WEBHOOK_ALLOWED_CIDRS holds '" + cidr.trim() + "', which is not a CIDR range");
      }
    }
    String trustPem = check.optional("nimbus.events.webhook-trust-pem");
    String definition = functionDefinition == null ? "" : functionDefinition.trim();
    // The replay sends kept failures itself; the stream function queues and the delivery function
    // changes message visibility, so both need the queue.
    String deliveryQueue =
        definition.equals("replayWebhooks")
            ? check.optional("nimbus.events.webhook-delivery-queue-url")
            : check.required(
                "nimbus.events.webhook-delivery-queue-url", "WEBHOOK_DELIVERY_QUEUE_URL");
    Duration connect =
        check.duration(
            "nimbus.events.webhook-connect-timeout",
            "nimbus.events.webhook-connect-timeout",
            Duration.ofSeconds(3),
            Duration.ofMillis(100),
            Duration.ofSeconds(30));
    Duration read =
        check.duration(
            "nimbus.events.webhook-read-timeout",
            "nimbus.events.webhook-read-timeout",
            Duration.ofSeconds(10),
            Duration.ofMillis(100),
            Duration.ofSeconds(60));
    Duration deadline =
        check.duration(
            "nimbus.events.webhook-deadline",
            "WEBHOOK_DEADLINE",
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofSeconds(30));
    int attempts =
        check.integer(
            "nimbus.events.webhook-max-attempts", "nimbus.events.webhook-max-attempts", 5, 1, 10);
    Duration retryDelay =
        check.duration(
            "nimbus.events.webhook-retry-delay",
            "nimbus.events.webhook-retry-delay",
            Duration.ofSeconds(30),
            Duration.ZERO,
            Duration.ofHours(1));
    Duration maxRetryDelay =
        check.duration(
            "nimbus.events.webhook-max-retry-delay",
            "nimbus.events.webhook-max-retry-delay",
            Duration.ofMinutes(15),
            Duration.ZERO,
            Duration.ofHours(12));
    int replayAttempts =
        check.integer(
            "nimbus.events.webhook-replay-attempts",
            "nimbus.events.webhook-replay-attempts",
            3,
            1,
            10);
    Duration backoff =
        check.duration(
            "nimbus.events.webhook-backoff",
            "nimbus.events.webhook-backoff",
            Duration.ofMillis(500),
            Duration.ZERO,
            Duration.ofSeconds(30));
    Duration maxBackoff =
        check.duration(
            "nimbus.events.webhook-max-backoff",
            "nimbus.events.webhook-max-backoff",
            Duration.ofSeconds(5),
            Duration.ZERO,
            Duration.ofSeconds(60));
    int publishAttempts =
        check.integer(
            "nimbus.events.publish-max-attempts", "nimbus.events.publish-max-attempts", 4, 1, 10);
    Duration publishBackoff =
        check.duration(
            "nimbus.events.publish-backoff",
            "nimbus.events.publish-backoff",
            Duration.ofMillis(100),
            Duration.ZERO,
            Duration.ofSeconds(10));
    Duration retention =
        check.duration(
            "nimbus.events.failure-retention",
            "nimbus.events.failure-retention",
            Duration.ofDays(14),
            Duration.ofHours(1),
            Duration.ofDays(365));
    check.orThrow();
    return new CiEventsProperties(
        region,
        table,
        bus,
        key,
        local,
        cidrs,
        trustPem,
        deliveryQueue,
        connect,
        read,
        deadline,
        attempts,
        retryDelay,
        maxRetryDelay,
        replayAttempts,
        backoff,
        maxBackoff,
        publishAttempts,
        publishBackoff,
        retention);
  }
}
