package dev.nimbus.deployments.drift;

import dev.nimbus.aws.TableKeys;
import dev.nimbus.model.ConnectionRef;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** The drift store in memory (unit tests), ordered and counted like the DynamoDB one. */
public final class InMemoryDriftStore implements DriftStore {
  private final Map<String, Drift> items = new ConcurrentSkipListMap<>();
  private final AtomicLong writes = new AtomicLong();

  private static String pk(ConnectionRef c) {
    return TableKeys.connectionPk(c.tenantId(), c.connectionId());
  }

  @Override
  public void put(Drift drift) {
    items.put(
        pk(drift.connection()) + "|" + TableKeys.driftSk(drift.stack(), drift.nativeKey()), drift);
    writes.incrementAndGet();
  }

  @Override
  public List<Drift> byConnection(ConnectionRef connection) {
    return query(pk(connection) + "|" + TableKeys.driftPrefix(null));
  }

  @Override
  public List<Drift> byStack(ConnectionRef connection, String stack) {
    return query(pk(connection) + "|" + TableKeys.driftPrefix(stack));
  }

  private List<Drift> query(String prefix) {
    return items.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(Map.Entry::getValue)
        .toList();
  }

  @Override
  public long writes() {
    return writes.get();
  }
}
