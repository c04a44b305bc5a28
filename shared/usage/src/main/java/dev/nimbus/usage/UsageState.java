package dev.nimbus.usage;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A connection's sampling state: the cursor (the instant collected usage reaches), the storages
 * known to be shared and when that was read, and the hours not yet complete. An hour is written to
 * its CI's usage item once, when the cursor has passed its end; until then it lives here, so
 * sampling every few minutes costs one write per CI per hour, not one per sample. The counters the
 * cursor ended on ({@code baselines}) let the next sample of a large cluster read only the newest
 * generations of the metrics export and still count every byte.
 */
public record UsageState(
    Instant cursor,
    Set<String> sharedStorage,
    Instant sharedStorageReadAt,
    List<HourlyUsage> openHours,
    java.util.Map<String, dev.nimbus.model.CounterBaseline> baselines) {
  public UsageState {
    sharedStorage = sharedStorage == null ? null : Set.copyOf(sharedStorage);
    openHours = List.copyOf(openHours);
    baselines = baselines == null ? java.util.Map.of() : java.util.Map.copyOf(baselines);
  }

  public UsageState(
      Instant cursor,
      Set<String> sharedStorage,
      Instant sharedStorageReadAt,
      List<HourlyUsage> openHours) {
    this(cursor, sharedStorage, sharedStorageReadAt, openHours, null);
  }

  public static final UsageState NONE = new UsageState(null, null, null, List.of(), null);
}
