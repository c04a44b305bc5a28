package dev.nimbus.cmdb;

import dev.nimbus.model.ConnectionRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What applying one snapshot did. {@code unchanged} counts CIs seen with the content already stored
 * (and snapshot CIs older than what is stored); {@code unreachable} counts CIs of unreachable
 * scopes, whether marked now or already marked. {@code writeRequests} counts DynamoDB write
 * requests (a transaction is one request, a conflicted one too) and {@code writtenItems} the items
 * they stored. {@code written} holds the new state of every CI written, in write order.
 */
public record ApplyResult(
    ConnectionRef connection,
    Instant capturedAt,
    int created,
    int updated,
    int recovered,
    int deleted,
    int unchanged,
    int unreachable,
    long writeRequests,
    long writtenItems,
    int conflicts,
    Duration duration,
    List<StoredCi> written) {

  public ApplyResult {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(capturedAt, "capturedAt");
    Objects.requireNonNull(duration, "duration");
    written = List.copyOf(written);
  }

  /** CIs whose stored item was written by this apply. */
  public int changed() {
    return written.size();
  }
}
