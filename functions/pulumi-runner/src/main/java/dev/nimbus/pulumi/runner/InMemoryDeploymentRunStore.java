package dev.nimbus.pulumi.runner;

import dev.nimbus.model.ConnectionRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The store in memory (local runs and tests); every save and link counts as one write. */
public final class InMemoryDeploymentRunStore implements DeploymentRunStore {
  private final Map<String, DeploymentRun> runs = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> links = new ConcurrentHashMap<>();
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
  public void link(ConnectionRef connection, String stack, Map<String, String> nativeKeyToUrn) {
    writes.addAndGet(nativeKeyToUrn.size());
    links.computeIfAbsent(key(connection, stack), k -> new TreeMap<>()).putAll(nativeKeyToUrn);
  }

  @Override
  public Map<String, String> links(ConnectionRef connection, String stack) {
    return Map.copyOf(links.getOrDefault(key(connection, stack), Map.of()));
  }

  @Override
  public long writes() {
    return writes.get();
  }

  @Override
  public List<DeploymentRun> runs(ConnectionRef connection) {
    List<DeploymentRun> out = new ArrayList<>();
    runs.values().stream().filter(r -> r.connection().equals(connection)).forEach(out::add);
    out.sort(Comparator.comparing(DeploymentRun::startedAt).reversed());
    return out;
  }
}
