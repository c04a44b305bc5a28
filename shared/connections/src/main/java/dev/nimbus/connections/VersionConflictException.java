package dev.nimbus.connections;

import dev.nimbus.model.ConnectionRef;

/**
 * Optimistic locking refused a write: the connection changed since the caller read it. Re-read,
 * re-apply the change, and try again.
 */
public final class VersionConflictException extends ConnectionException {
  private final long expectedVersion;

  public VersionConflictException(ConnectionRef ref, long expectedVersion) {
    super(
        "connection "
            + ref
            + " was changed by someone else since version "
            + expectedVersion
            + "; reload it and try again");
    this.expectedVersion = expectedVersion;
  }

  public long expectedVersion() {
    return expectedVersion;
  }
}
