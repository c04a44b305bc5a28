package dev.nimbus.events;

import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One DynamoDB stream record, free of Lambda event types: its stream {@code eventID}, the operation
 * ({@code INSERT}, {@code MODIFY}, {@code REMOVE}), the sequence number Lambda wants back for a
 * failed record, and the new and old images (empty when absent).
 */
public record ChangeRecord(
    String streamEventId,
    String operation,
    String sequenceNumber,
    Map<String, AttributeValue> newImage,
    Map<String, AttributeValue> oldImage) {

  public ChangeRecord {
    Objects.requireNonNull(sequenceNumber, "sequenceNumber");
    newImage = newImage == null ? Map.of() : Map.copyOf(newImage);
    oldImage = oldImage == null ? Map.of() : Map.copyOf(oldImage);
  }
}
