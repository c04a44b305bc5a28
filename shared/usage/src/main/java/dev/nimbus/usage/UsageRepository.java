package dev.nimbus.usage;

import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where usage lives (the seam between the service and DynamoDB). Writes are batched; every write
 * method answers how many items it wrote, so tests and metrics count them.
 */
public interface UsageRepository {

  /** The identity of one hour item. */
  record HourKey(String nativeKey, Instant hour) {}

  UsageState loadState(ConnectionRef connection);

  /** Stores the state; returns the items written. */
  int saveState(ConnectionRef connection, UsageState state);

  Map<HourKey, HourlyUsage> getHours(ConnectionRef connection, Collection<HourKey> keys);

  /** Writes hour items (batched), each expiring at {@code expiresAt}; returns items written. */
  int putHours(List<HourlyUsage> hours, Instant expiresAt);

  /** One CI's hours in {@code [from, to)}, oldest first. */
  List<HourlyUsage> hoursOf(ConnectionRef connection, String nativeKey, Instant from, Instant to);

  /** Every CI's hours of one connection in {@code [from, to)}. */
  List<HourlyUsage> hoursOfConnection(ConnectionRef connection, Instant from, Instant to);

  Map<DailyRollup.Key, DailyRollup> getRollups(Collection<DailyRollup.Key> keys);

  int putRollups(List<DailyRollup> rollups, Instant expiresAt);

  /** Rollups of one tenant's dimension value for the days {@code [from, to]}, all connections. */
  List<DailyRollup> rollups(
      String tenantId, DailyRollup.Dimension dimension, String value, LocalDate from, LocalDate to);

  Optional<RateCard> rateCard(ConnectionRef connection);

  void putRateCard(RateCard card);

  /** Write requests sent so far (a batch of 25 items is one), for tests and metrics. */
  long writeRequests();
}
