package dev.nimbus.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What to collect: usage in {@code range}, continuing from {@code cursor} (the newest instant an
 * earlier collection covered, or null) and the counters it ended on ({@code baselines}, by native
 * key), with the storages the CMDB knows as shared (their usage belongs to the one shared storage
 * CI) and the VMs whose disk usage should be asked from their guest agent.
 */
public record UsageRequest(
    TimeRange range,
    Instant cursor,
    Set<String> sharedStorage,
    Set<String> agentDiskKeys,
    java.util.Map<String, CounterBaseline> baselines) {
  public UsageRequest {
    Objects.requireNonNull(range, "range");
    sharedStorage = sharedStorage == null ? null : Set.copyOf(sharedStorage);
    agentDiskKeys = agentDiskKeys == null ? Set.of() : Set.copyOf(agentDiskKeys);
    baselines = baselines == null ? java.util.Map.of() : java.util.Map.copyOf(baselines);
  }

  public UsageRequest(
      TimeRange range, Instant cursor, Set<String> sharedStorage, Set<String> agentDiskKeys) {
    this(range, cursor, sharedStorage, agentDiskKeys, null);
  }
}
