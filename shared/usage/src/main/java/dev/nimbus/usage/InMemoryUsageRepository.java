package dev.nimbus.usage;

import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The repository in memory, for unit tests and the benchmark. It counts write requests the way the
 * DynamoDB one sends them: items in batches of 25, the state in pages of {@link #STATE_PAGE_HOURS}
 * open hours, a rate card as one put.
 */
public final class InMemoryUsageRepository implements UsageRepository {
  public static final int BATCH = 25;
  public static final int STATE_PAGE_HOURS = 1000;

  private final Map<ConnectionRef, UsageState> states = new ConcurrentHashMap<>();
  private final Map<ConnectionRef, TreeMap<String, HourlyUsage>> hours = new ConcurrentHashMap<>();
  private final Map<DailyRollup.Key, DailyRollup> rollups = new ConcurrentHashMap<>();
  private final Map<ConnectionRef, RateCard> cards = new ConcurrentHashMap<>();
  private final AtomicLong writeRequests = new AtomicLong();
  private final AtomicLong writtenItems = new AtomicLong();

  private static String sortKey(String nativeKey, Instant hour) {
    return nativeKey + "#" + hour;
  }

  @Override
  public UsageState loadState(ConnectionRef connection) {
    return states.getOrDefault(connection, UsageState.NONE);
  }

  @Override
  public int saveState(ConnectionRef connection, UsageState state) {
    states.put(connection, state);
    int pages = Math.max(1, (state.openHours().size() + STATE_PAGE_HOURS - 1) / STATE_PAGE_HOURS);
    writeRequests.addAndGet((pages + BATCH - 1) / BATCH);
    writtenItems.addAndGet(pages);
    return pages;
  }

  @Override
  public Map<HourKey, HourlyUsage> getHours(ConnectionRef connection, Collection<HourKey> keys) {
    Map<HourKey, HourlyUsage> out = new HashMap<>();
    TreeMap<String, HourlyUsage> all = hours.getOrDefault(connection, new TreeMap<>());
    for (HourKey k : keys) {
      HourlyUsage h = all.get(sortKey(k.nativeKey(), k.hour()));
      if (h != null) {
        out.put(k, h);
      }
    }
    return out;
  }

  @Override
  public synchronized int putHours(List<HourlyUsage> list, Instant expiresAt) {
    for (HourlyUsage h : list) {
      hours
          .computeIfAbsent(h.connection(), c -> new TreeMap<>())
          .put(sortKey(h.nativeKey(), h.hour()), h);
    }
    writeRequests.addAndGet((list.size() + BATCH - 1) / BATCH);
    writtenItems.addAndGet(list.size());
    return list.size();
  }

  @Override
  public List<HourlyUsage> hoursOf(
      ConnectionRef connection, String nativeKey, Instant from, Instant to) {
    List<HourlyUsage> out = new ArrayList<>();
    for (HourlyUsage h :
        hours
            .getOrDefault(connection, new TreeMap<>())
            .subMap(nativeKey + "#", nativeKey + "#~")
            .values()) {
      if (!h.hour().isBefore(from.truncatedTo(java.time.temporal.ChronoUnit.HOURS))
          && h.hour().isBefore(to)) {
        out.add(h);
      }
    }
    return out;
  }

  @Override
  public List<HourlyUsage> hoursOfConnection(ConnectionRef connection, Instant from, Instant to) {
    List<HourlyUsage> out = new ArrayList<>();
    for (HourlyUsage h : hours.getOrDefault(connection, new TreeMap<>()).values()) {
      if (!h.hour().isBefore(from.truncatedTo(java.time.temporal.ChronoUnit.HOURS))
          && h.hour().isBefore(to)) {
        out.add(h);
      }
    }
    return out;
  }

  @Override
  public Map<DailyRollup.Key, DailyRollup> getRollups(Collection<DailyRollup.Key> keys) {
    Map<DailyRollup.Key, DailyRollup> out = new HashMap<>();
    for (DailyRollup.Key k : keys) {
      DailyRollup r = rollups.get(k);
      if (r != null) {
        out.put(k, r);
      }
    }
    return out;
  }

  @Override
  public int putRollups(List<DailyRollup> list, Instant expiresAt) {
    list.forEach(r -> rollups.put(r.key(), r));
    writeRequests.addAndGet((list.size() + BATCH - 1) / BATCH);
    writtenItems.addAndGet(list.size());
    return list.size();
  }

  @Override
  public List<DailyRollup> rollups(
      String tenantId,
      DailyRollup.Dimension dimension,
      String value,
      LocalDate from,
      LocalDate to) {
    return rollups.values().stream()
        .filter(
            r ->
                r.tenantId().equals(tenantId)
                    && r.dimension() == dimension
                    && r.value().equals(value)
                    && !r.day().isBefore(from)
                    && !r.day().isAfter(to))
        .sorted(
            java.util.Comparator.comparing(DailyRollup::day)
                .thenComparing(DailyRollup::connectionId)
                .thenComparing(DailyRollup::node)
                .thenComparing(DailyRollup::storageType))
        .toList();
  }

  @Override
  public Optional<RateCard> rateCard(ConnectionRef connection) {
    return Optional.ofNullable(cards.get(connection));
  }

  @Override
  public void putRateCard(RateCard card) {
    cards.put(card.connection(), card);
    writeRequests.incrementAndGet();
    writtenItems.incrementAndGet();
  }

  @Override
  public long writeRequests() {
    return writeRequests.get();
  }

  /** Items written so far. */
  public long writtenItems() {
    return writtenItems.get();
  }
}
