package dev.nimbus.cmdb;

import java.util.Objects;

/**
 * One CI write with its history entry, stored together or not at all. {@code expectedVersion} is
 * the version of the stored item this write was computed from (0: there must be none); the write
 * fails with {@link CiConflictException} if another writer got there first.
 */
public record CiWrite(long expectedVersion, StoredCi next, CiHistoryEntry history) {

  public CiWrite {
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(history, "history");
    if (expectedVersion < 0 || next.version() != expectedVersion + 1) {
      throw new IllegalArgumentException(
          "a write from version " + expectedVersion + " produces version " + (expectedVersion + 1));
    }
    if (!history.ciId().equals(next.id())
        || history.configurationStateId() != next.configurationStateId()) {
      throw new IllegalArgumentException("the history entry must record the written state");
    }
  }
}
