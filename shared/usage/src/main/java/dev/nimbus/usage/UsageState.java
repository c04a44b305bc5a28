package dev.nimbus.usage;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A connection's sampling state: the cursor (the instant collected usage reaches), the storages
 * known to be shared and when that was read, and the hours not yet complete. An hour is written to
 * its CI's usage item once, when the cursor has passed its end; until then it lives here, so
 * sampling every few minutes costs one write per CI per hour, not one per sample.
 */
public record UsageState(
    Instant cursor,
    Set<String> sharedStorage,
    Instant sharedStorageReadAt,
    List<HourlyUsage> openHours) {
  public UsageState {
    sharedStorage = sharedStorage == null ? null : Set.copyOf(sharedStorage);
    openHours = List.copyOf(openHours);
  }

  public static final UsageState NONE = new UsageState(null, null, null, List.of());
}
