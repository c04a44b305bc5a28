package dev.nimbus.cmdb;

import dev.nimbus.model.CiId;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a CI's timeline: the state id it produced, the status after the change, the change
 * itself and when the entry expires (capture time plus the configured retention; DynamoDB's TTL
 * removes it then).
 */
public record CiHistoryEntry(
    CiId ciId,
    ConnectionRef connection,
    String nativeKey,
    long configurationStateId,
    CiStatus status,
    CiChange change,
    Instant expiresAt) {

  public CiHistoryEntry {
    Objects.requireNonNull(ciId, "ciId");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(nativeKey, "nativeKey");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (configurationStateId < 1) {
      throw new IllegalArgumentException("configurationStateId starts at 1");
    }
  }
}
