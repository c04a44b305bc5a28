package dev.nimbus.usage;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.UsageCollection;
import dev.nimbus.model.UsageSlice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Records collected usage: slices are merged into their CI's hour; an hour is written once the
 * cursor has passed its end (until then it stays in the connection's state), and only when it
 * differs from what is stored, so re-sampling an hour writes nothing. Writing an hour also moves
 * the day's rollups of its tenant, compartments (with their parent pools) and tags by the
 * difference to what was stored before.
 */
public final class UsageService {
  private final UsageRepository repository;
  private final Duration retention;
  private final Clock clock;

  public UsageService(UsageRepository repository, Duration retention, Clock clock) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Duration retention() {
    return retention;
  }

  /** The state the next collection continues from. */
  public UsageState state(ConnectionRef connection) {
    return repository.loadState(connection);
  }

  public RecordResult record(
      ConnectionRef connection, UsageCollection collection, CiDirectory directory) {
    UsageState state = repository.loadState(connection);
    Instant cursor = state.cursor();
    if (collection.coveredTo() != null
        && (cursor == null || collection.coveredTo().isAfter(cursor))) {
      cursor = collection.coveredTo();
    }
    Map<UsageRepository.HourKey, HourlyUsage> open = new LinkedHashMap<>();
    for (HourlyUsage h : state.openHours()) {
      open.put(new UsageRepository.HourKey(h.nativeKey(), h.hour()), h);
    }
    // Slices of hours that were already written (a backfill): merged into the stored hour.
    Map<UsageRepository.HourKey, List<UsageSlice>> closed = new LinkedHashMap<>();
    int covered = 0;
    int ignored = 0;
    for (UsageSlice s : collection.slices()) {
      UsageRepository.HourKey key = new UsageRepository.HourKey(s.nativeKey(), s.hour());
      boolean wasClosed =
          state.cursor() != null && !s.hour().plus(Duration.ofHours(1)).isAfter(state.cursor());
      if (wasClosed && !open.containsKey(key)) {
        closed.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        continue;
      }
      HourlyUsage.Merged m =
          open.getOrDefault(key, HourlyUsage.empty(connection, s.nativeKey(), s.hour())).merge(s);
      open.put(key, m.usage());
      covered += m.outcome() == HourlyUsage.Merge.ALREADY_COVERED ? 1 : 0;
      ignored += m.outcome() == HourlyUsage.Merge.OVERLAP_IGNORED ? 1 : 0;
    }
    // Complete hours leave the state and are written.
    Map<UsageRepository.HourKey, HourlyUsage> complete = new LinkedHashMap<>();
    for (var it = open.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (cursor != null && !e.getKey().hour().plus(Duration.ofHours(1)).isAfter(cursor)) {
        complete.put(e.getKey(), e.getValue());
        it.remove();
      }
    }
    List<UsageRepository.HourKey> toRead = new ArrayList<>(complete.keySet());
    toRead.addAll(closed.keySet());
    Map<UsageRepository.HourKey, HourlyUsage> stored =
        toRead.isEmpty() ? Map.of() : repository.getHours(connection, toRead);
    List<HourlyUsage> writes = new ArrayList<>();
    List<HourlyUsage[]> changes = new ArrayList<>(); // {before or null, after}
    int unchanged = 0;
    for (var e : complete.entrySet()) {
      HourlyUsage before = stored.get(e.getKey());
      HourlyUsage after = e.getValue();
      if (before != null) {
        // The stored hour may hold parts this state never saw (an earlier backfill).
        after = mergeInto(before, after);
      }
      if (after.equals(before)) {
        unchanged++;
      } else {
        writes.add(after);
        changes.add(new HourlyUsage[] {before, after});
      }
    }
    for (var e : closed.entrySet()) {
      HourlyUsage before = stored.get(e.getKey());
      HourlyUsage after =
          before != null
              ? before
              : HourlyUsage.empty(connection, e.getKey().nativeKey(), e.getKey().hour());
      for (UsageSlice s : e.getValue()) {
        HourlyUsage.Merged m = after.merge(s);
        after = m.usage();
        covered += m.outcome() == HourlyUsage.Merge.ALREADY_COVERED ? 1 : 0;
        ignored += m.outcome() == HourlyUsage.Merge.OVERLAP_IGNORED ? 1 : 0;
      }
      if (after.equals(before)) {
        unchanged++;
      } else {
        writes.add(after);
        changes.add(new HourlyUsage[] {before, after});
      }
    }
    int hoursWritten = writes.isEmpty() ? 0 : repository.putHours(writes, expiry(writes));
    int rollupsWritten = changes.isEmpty() ? 0 : rollup(connection, changes, directory);
    Instant sharedReadAt =
        collection.sharedStorage().isEmpty() && state.sharedStorage() != null
            ? state.sharedStorageReadAt()
            : state.sharedStorage() != null
                    && state.sharedStorage().equals(collection.sharedStorage())
                ? state.sharedStorageReadAt()
                : clock.instant();
    UsageState next =
        new UsageState(
            cursor,
            collection.sharedStorage().isEmpty()
                ? state.sharedStorage()
                : collection.sharedStorage(),
            sharedReadAt,
            List.copyOf(open.values()),
            collection.coveredTo() != null
                    && (state.cursor() == null || collection.coveredTo().isAfter(state.cursor()))
                ? collection.baselines()
                : state.baselines());
    int stateItems = next.equals(state) ? 0 : repository.saveState(connection, next);
    return new RecordResult(
        collection.slices().size(),
        hoursWritten,
        unchanged,
        rollupsWritten,
        stateItems,
        covered,
        ignored,
        cursor);
  }

  /** Adds what {@code extra} covers and {@code base} lacks. */
  private static HourlyUsage mergeInto(HourlyUsage base, HourlyUsage extra) {
    if (extra.coverage().size() == 1) {
      return base.merge(extra.coverage().getFirst(), extra.totals()).usage();
    }
    // Several separate parts cannot be told apart in the sums: keep the better-covered one.
    return extra.coveredSeconds() > base.coveredSeconds() ? extra : base;
  }

  private Instant expiry(List<HourlyUsage> hours) {
    return clock.instant().plus(retention);
  }

  private int rollup(ConnectionRef connection, List<HourlyUsage[]> changes, CiDirectory directory) {
    Map<String, CiFacts> facts = directory.facts(connection);
    Map<DailyRollup.Key, UsageTotals> deltas = new HashMap<>();
    for (HourlyUsage[] c : changes) {
      HourlyUsage after = c[1];
      UsageTotals delta = c[0] == null ? after.totals() : after.totals().minus(c[0].totals());
      CiFacts f = facts.getOrDefault(after.nativeKey(), CiFacts.fromKey(after.nativeKey()));
      if (f.kind() != CiFacts.Kind.GUEST) {
        continue; // nodes and storage are capacity, not consumption: they are not rolled up
      }
      LocalDate day = LocalDate.ofInstant(after.hour(), ZoneOffset.UTC);
      List<DailyRollup.Key> keys = new ArrayList<>();
      keys.add(key(connection, DailyRollup.Dimension.TENANT, DailyRollup.ALL, day, f));
      for (String pool : f.compartments()) {
        keys.add(key(connection, DailyRollup.Dimension.COMPARTMENT, pool, day, f));
      }
      for (String tag : f.tags()) {
        keys.add(key(connection, DailyRollup.Dimension.TAG, tag, day, f));
      }
      for (DailyRollup.Key k : keys) {
        deltas.merge(k, delta, UsageTotals::plus);
      }
    }
    if (deltas.isEmpty()) {
      return 0;
    }
    Map<DailyRollup.Key, DailyRollup> stored = repository.getRollups(deltas.keySet());
    List<DailyRollup> writes = new ArrayList<>();
    for (var e : deltas.entrySet()) {
      DailyRollup.Key k = e.getKey();
      DailyRollup before = stored.get(k);
      UsageTotals totals = before == null ? e.getValue() : before.totals().plus(e.getValue());
      DailyRollup after =
          new DailyRollup(
              k.tenantId(),
              k.dimension(),
              k.value(),
              k.day(),
              k.connectionId(),
              k.node(),
              k.storageType(),
              totals);
      if (!after.equals(before)) {
        writes.add(after);
      }
    }
    return writes.isEmpty() ? 0 : repository.putRollups(writes, clock.instant().plus(retention));
  }

  private static DailyRollup.Key key(
      ConnectionRef c, DailyRollup.Dimension d, String value, LocalDate day, CiFacts f) {
    return new DailyRollup.Key(
        c.tenantId(),
        d,
        value,
        day,
        c.connectionId(),
        f.node() == null ? DailyRollup.NONE : f.node(),
        f.storageType() == null ? DailyRollup.NONE : f.storageType());
  }
}
