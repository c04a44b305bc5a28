package dev.nimbus.aws;

import java.util.UUID;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Write ids: a random id a conditional write stores on its item, so that the writer can tell
 * whether a write that failed its condition was in fact its own.
 *
 * <p>Why: the SDK retries a request whose answer it did not get (a dropped connection, an attempt
 * timeout). When the first attempt of a conditional write was applied and only its answer was lost,
 * the retry is checked against the item that attempt wrote and fails the condition the write itself
 * made false ({@code ConditionalCheckFailedException}, or a cancelled transaction). Read as is,
 * that turns a success into "conflict" or "already exists". Reading the item back with a consistent
 * read and finding this write's id on it proves the write was applied, exactly once; any other id
 * (or none, or no item) means another writer's write, or a delete, won. DynamoDB's own idempotency
 * token covers only transactions, for 10 minutes, and the emulators ignore it; this check depends
 * on neither.
 *
 * <p>The stored attribute is {@value #ATTRIBUTE}; items written before this class, and the CMDB's
 * annotated CI item, use that name, so it must not change.
 */
public final class WriteIds {
  /** The item attribute holding the id of the write that stored the item. */
  public static final String ATTRIBUTE = "writeId";

  private WriteIds() {}

  /** A fresh write id, unique to one write call (kept across the SDK's retries of it). */
  public static String newWriteId() {
    return UUID.randomUUID().toString();
  }

  /**
   * Whether the item at {@code key} (read consistently, so a write just applied is seen) carries
   * {@code writeId}: false when the item is gone, has no write id, or has another one.
   */
  public static boolean itemCarries(
      DynamoDbTable<EnhancedDocument> table, Key key, String writeId) {
    EnhancedDocument stored =
        table.getItem(GetItemEnhancedRequest.builder().key(key).consistentRead(true).build());
    AttributeValue id = stored == null ? null : stored.toMap().get(ATTRIBUTE);
    return id != null && writeId.equals(id.s());
  }
}
