package dev.nimbus.webhooks;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Puts deliveries on the webhook delivery queue with {@code SendMessageBatch} (at most {@value
 * #MAX_ENTRIES} entries and {@value #MAX_BATCH_BYTES} bytes per call). The one way a function hands
 * a webhook call to {@code deliverWebhooks}: whoever queues never calls a receiver, so no receiver
 * can hold a stream batch that other tenants' records share.
 */
public final class DeliveryQueueSender {
  private static final System.Logger LOG = System.getLogger(DeliveryQueueSender.class.getName());

  /** SendMessageBatch's limit of entries per call. */
  public static final int MAX_ENTRIES = 10;

  /** SendMessageBatch's limit of the total payload per call (256 KiB). */
  public static final int MAX_BATCH_BYTES = 256 * 1024;

  private final SqsClient sqs;
  private final String queueUrl;

  public DeliveryQueueSender(SqsClient sqs, String queueUrl) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
  }

  /**
   * Queues every message; a message SQS refuses (or a call that fails) gets a second try.
   *
   * @return the messages that are still not queued, for the caller to fail and retry its input
   */
  public List<DeliveryMessage> send(List<DeliveryMessage> messages) {
    List<DeliveryMessage> notQueued = new ArrayList<>();
    for (List<DeliveryMessage> chunk : chunks(messages)) {
      List<DeliveryMessage> failed = sendBatch(chunk);
      if (!failed.isEmpty()) {
        failed = sendBatch(failed);
      }
      notQueued.addAll(failed);
    }
    return notQueued;
  }

  /** Sends one chunk; returns the entries that were not queued. */
  private List<DeliveryMessage> sendBatch(List<DeliveryMessage> chunk) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < chunk.size(); i++) {
      DeliveryMessage m = chunk.get(i);
      Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
      m.attributes()
          .forEach(
              (k, v) ->
                  attributes.put(
                      k,
                      MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
      entries.add(
          SendMessageBatchRequestEntry.builder()
              .id(Integer.toString(i))
              .messageBody(m.body())
              .messageAttributes(attributes)
              // A standard queue with message groups is a fair queue: while one tenant has a
              // backlog in flight, SQS hands out other tenants' messages first.
              .messageGroupId(m.tenantId())
              .build());
    }
    try {
      SendMessageBatchResponse response =
          sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      List<DeliveryMessage> failed = new ArrayList<>();
      for (BatchResultErrorEntry error : response.failed()) {
        DeliveryMessage m = chunk.get(Integer.parseInt(error.id()));
        LOG.log(
            Level.WARNING,
            "delivery of event {0} to webhook {1} not queued: {2}",
            m.eventId(),
            m.webhookId(),
            error.code());
        failed.add(m);
      }
      return failed;
    } catch (SdkException e) {
      LOG.log(
          Level.WARNING,
          "{0} webhook deliveries not queued: {1}",
          chunk.size(),
          e.getClass().getSimpleName());
      return chunk;
    }
  }

  /** Entries of at most {@value #MAX_ENTRIES} and {@value #MAX_BATCH_BYTES} bytes per call. */
  static List<List<DeliveryMessage>> chunks(List<DeliveryMessage> all) {
    List<List<DeliveryMessage>> out = new ArrayList<>();
    List<DeliveryMessage> current = new ArrayList<>();
    int bytes = 0;
    for (DeliveryMessage m : all) {
      int size = size(m);
      if (!current.isEmpty() && (current.size() == MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(m);
      bytes += size;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** What SQS counts against its size limit: the body and each attribute's name, type and value. */
  public static int size(DeliveryMessage m) {
    int bytes = m.body().getBytes(StandardCharsets.UTF_8).length;
    for (Map.Entry<String, String> a : m.attributes().entrySet()) {
      bytes +=
          a.getKey().getBytes(StandardCharsets.UTF_8).length
              + "String".length()
              + a.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    return bytes;
  }
}
