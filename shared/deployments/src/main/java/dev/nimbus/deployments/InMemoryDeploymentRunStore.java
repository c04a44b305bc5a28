package dev.nimbus.deployments;

import dev.nimbus.model.ConnectionRef;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store in memory (unit tests); writes are counted as the DynamoDB store counts them: one per
 * saved run, one per link written or removed.
 */
public final class InMemoryDeploymentRunStore implements DeploymentRunStore {
  private record Link(String stack, String urn) {}

  private final Map<String, DeploymentRun> runs = new ConcurrentHashMap<>();
  private final Map<ConnectionRef, Map<String, Link>> links = new ConcurrentHashMap<>();
  private final AtomicLong writes = new AtomicLong();

  private static String key(ConnectionRef c, String id) {
    return c + "#" + id;
  }

  @Override
  public void save(DeploymentRun run) {
    writes.incrementAndGet();
    runs.put(key(run.connection(), run.runId()), run);
  }

  @Override
  public Optional<DeploymentRun> find(ConnectionRef connection, String runId) {
    return Optional.ofNullable(runs.get(key(connection, runId)));
  }

  @Override
  public Optional<DeploymentRun> latest(ConnectionRef connection, String program) {
    return runs(connection).stream().filter(r -> r.program().equals(program)).findFirst();
  }

  @Override
  public List<DeploymentRun> runs(ConnectionRef connection) {
    return runs.values().stream()
        .filter(r -> r.connection().equals(connection))
        .sorted(Comparator.comparing(DeploymentRun::runId).reversed())
        .toList();
  }

  @Override
  public synchronized void replaceLinks(
      ConnectionRef connection, String stack, Map<String, String> nativeKeyToUrn) {
    Map<String, Link> all = links.computeIfAbsent(connection, c -> new TreeMap<>());
    var stale =
        all.entrySet().stream()
            .filter(e -> e.getValue().stack().equals(stack))
            .map(Map.Entry::getKey)
            .filter(k -> !nativeKeyToUrn.containsKey(k))
            .toList();
    stale.forEach(all::remove);
    writes.addAndGet(stale.size());
    nativeKeyToUrn.forEach(
        (k, urn) -> {
          Link link = new Link(stack, urn);
          if (!link.equals(all.put(k, link))) {
            writes.incrementAndGet();
          }
        });
  }

  @Override
  public synchronized Map<String, String> links(ConnectionRef connection, String stack) {
    Map<String, String> out = new TreeMap<>();
    links
        .getOrDefault(connection, Map.of())
        .forEach(
            (k, link) -> {
              if (link.stack().equals(stack)) {
                out.put(k, link.urn());
              }
            });
    return out;
  }

  @Override
  public synchronized Map<String, String> linkedStacks(ConnectionRef connection) {
    Map<String, String> out = new TreeMap<>();
    links.getOrDefault(connection, Map.of()).forEach((k, link) -> out.put(k, link.stack()));
    return out;
  }

  @Override
  public long writes() {
    return writes.get();
  }
}
