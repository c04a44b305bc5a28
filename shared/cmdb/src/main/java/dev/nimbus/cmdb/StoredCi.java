package dev.nimbus.cmdb;

import dev.nimbus.model.CiId;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.util.Objects;

/**
 * A CI as the CMDB keeps it: the item with its status, AWS Config's {@code configurationStateId} (1
 * for the first state, +1 per recorded change), the content hash it was written with, when it was
 * first seen and last changed, the optimistic-lock {@code version} of its stored item and the
 * change that produced this state.
 */
public record StoredCi(
    ConfigurationItem item,
    long configurationStateId,
    String contentHash,
    Instant firstSeen,
    Instant lastChanged,
    long version,
    CiChange lastChange) {

  public StoredCi {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(contentHash, "contentHash");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastChanged, "lastChanged");
    Objects.requireNonNull(lastChange, "lastChange");
    if (configurationStateId < 1) {
      throw new IllegalArgumentException("configurationStateId starts at 1");
    }
    if (version < 1) {
      throw new IllegalArgumentException("a stored CI has version 1 or more");
    }
  }

  public CiId id() {
    return item.id();
  }

  public CiStatus status() {
    return item.status();
  }

  public String nativeKey() {
    return item.nativeKey();
  }

  public ConnectionRef connection() {
    return item.connection();
  }
}
