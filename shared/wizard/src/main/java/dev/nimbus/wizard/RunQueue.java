package dev.nimbus.wizard;

import dev.nimbus.model.ConnectionRef;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * "Run now": puts one message on the discovery queue, the same message the schedule tick sends
 * ({@code {"tenantId": .., "connectionId": ..}}, read by the discovery run function), so a run
 * requested by a user goes through the same queue, retries and concurrency cap as a scheduled one.
 */
public final class RunQueue {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final SqsClient sqs;
  private final String queueUrl;

  public RunQueue(SqsClient sqs, String queueUrl) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
  }

  /** Queues a discovery of {@code ref}; returns the SQS message id. */
  public String enqueue(ConnectionRef ref) {
    String body =
        JSON.writeValueAsString(
            Map.of("tenantId", ref.tenantId(), "connectionId", ref.connectionId()));
    return sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body)).messageId();
  }
}
