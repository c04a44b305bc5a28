package dev.nimbus.usage.dynamodb;

import dev.nimbus.aws.TableDocuments;
import dev.nimbus.aws.TableKeys;
import dev.nimbus.aws.WriteIds;
import dev.nimbus.model.ConnectionRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One usage sample of a connection at a time. A sample reads the connection's state, collects, and
 * writes hours, rollups and the state; two samples of one connection at once (the schedule and
 * "sample now", or two clicks) would both add the same hours' difference to the daily rollups, so
 * the cost view would count them twice, and the later state would overwrite the earlier's. A sample
 * therefore first takes the connection's lease: one conditional put of {@code USAGE#LEASE} in the
 * connection partition, which succeeds when there is no lease or the one there has ended. A lease
 * ends by itself (a sample that crashed or timed out frees the connection when its lease runs out;
 * TTL removes the item a day later) and is released when the sample ends.
 *
 * <p>The lease carries the sample's write id ({@link WriteIds}): an SDK retry of an applied put
 * fails its own condition, and reading the item back tells that this sample holds it.
 */
public final class UsageSampleLeases {
  private static final String UNTIL = "leaseUntil";

  private final DynamoDbTable<EnhancedDocument> table;
  private final Clock clock;

  public UsageSampleLeases(DynamoDbClient dynamo, String tableName, Clock clock) {
    this.table =
        TableDocuments.table(
            DynamoDbEnhancedClient.builder()
                .dynamoDbClient(Objects.requireNonNull(dynamo, "dynamo"))
                .build(),
            Objects.requireNonNull(tableName, "tableName"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The outcome of {@link #acquire}: a held lease (close it), or the end of another's. */
  public sealed interface Outcome permits Lease, Busy {}

  /** Another sample holds the connection until {@code until}. */
  public record Busy(Instant until) implements Outcome {}

  /** This sample's lease; {@link #close} releases it (only if it is still this sample's). */
  public final class Lease implements Outcome, AutoCloseable {
    private final ConnectionRef ref;
    private final String holder;

    private Lease(ConnectionRef ref, String holder) {
      this.ref = ref;
      this.holder = holder;
    }

    @Override
    public void close() {
      try {
        table.deleteItem(
            DeleteItemEnhancedRequest.builder()
                .key(key(ref))
                .conditionExpression(
                    Expression.builder()
                        .expression("#w = :holder")
                        .putExpressionName("#w", WriteIds.ATTRIBUTE)
                        .putExpressionValue(":holder", AttributeValue.fromS(holder))
                        .build())
                .build());
      } catch (ConditionalCheckFailedException e) {
        // Ended and taken by another sample, or already gone: nothing of ours to release.
      } catch (SdkException e) {
        // Not released: the lease runs out by itself; the sample's outcome stands.
      }
    }
  }

  /** Takes {@code ref}'s lease for {@code duration} unless another sample holds it. */
  public Outcome acquire(ConnectionRef ref, Duration duration) {
    Instant now = clock.instant();
    long until = now.plus(duration).getEpochSecond();
    String holder = WriteIds.newWriteId();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(TableKeys.PK, AttributeValue.fromS(pk(ref)));
    item.put(TableKeys.SK, AttributeValue.fromS(TableKeys.USAGE_LEASE_SK));
    item.put(TableKeys.ITEM_TYPE, AttributeValue.fromS(TableKeys.TYPE_USAGE_LEASE));
    item.put(WriteIds.ATTRIBUTE, AttributeValue.fromS(holder));
    item.put(UNTIL, n(until));
    item.put(TableKeys.EXPIRES_AT, n(until + Duration.ofDays(1).toSeconds()));
    try {
      table.putItem(
          PutItemEnhancedRequest.builder(EnhancedDocument.class)
              .item(TableDocuments.of(item))
              .conditionExpression(
                  Expression.builder()
                      .expression("attribute_not_exists(#pk) OR #until <= :now")
                      .putExpressionName("#pk", TableKeys.PK)
                      .putExpressionName("#until", UNTIL)
                      .putExpressionValue(":now", n(now.getEpochSecond()))
                      .build())
              .build());
      return new Lease(ref, holder);
    } catch (ConditionalCheckFailedException e) {
      EnhancedDocument stored =
          table.getItem(
              GetItemEnhancedRequest.builder().key(key(ref)).consistentRead(true).build());
      Map<String, AttributeValue> fields = stored == null ? Map.of() : stored.toMap();
      AttributeValue storedHolder = fields.get(WriteIds.ATTRIBUTE);
      if (storedHolder != null && holder.equals(storedHolder.s())) {
        return new Lease(ref, holder); // our put, applied by an attempt whose answer was lost
      }
      // Released between the put and this read: free now, and the caller tries again later.
      AttributeValue storedUntil = fields.get(UNTIL);
      return new Busy(
          storedUntil == null ? now : Instant.ofEpochSecond(Long.parseLong(storedUntil.n())));
    }
  }

  /**
   * The end of the lease a running sample of {@code ref} holds, if one does: what the wizard's
   * "sample now" tells the user instead of queueing a sample that would be refused unseen.
   */
  public Optional<Instant> runningUntil(ConnectionRef ref) {
    EnhancedDocument stored = table.getItem(GetItemEnhancedRequest.builder().key(key(ref)).build());
    AttributeValue until = stored == null ? null : stored.toMap().get(UNTIL);
    if (until == null) {
      return Optional.empty();
    }
    Instant end = Instant.ofEpochSecond(Long.parseLong(until.n()));
    return end.isAfter(clock.instant()) ? Optional.of(end) : Optional.empty();
  }

  private static String pk(ConnectionRef ref) {
    return TableKeys.connectionPk(ref.tenantId(), ref.connectionId());
  }

  private static Key key(ConnectionRef ref) {
    return TableDocuments.key(pk(ref), TableKeys.USAGE_LEASE_SK);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
