package dev.nimbus.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The usage a provider collected: slices per resource and hour, the instant up to which the range
 * is now covered ({@code coveredTo}, the next request's cursor), how it was read, the shared
 * storages it found, and what went wrong for single resources (reported, never thrown).
 */
public record UsageCollection(
    ConnectionRef connection,
    List<UsageSlice> slices,
    Instant coveredTo,
    List<String> methods,
    Set<String> sharedStorage,
    List<DiscoveryProblem> problems,
    java.util.Map<String, CounterBaseline> baselines) {
  public UsageCollection {
    baselines = baselines == null ? java.util.Map.of() : java.util.Map.copyOf(baselines);
    Objects.requireNonNull(connection, "connection");
    slices = List.copyOf(slices);
    methods = List.copyOf(methods);
    sharedStorage = sharedStorage == null ? Set.of() : Set.copyOf(sharedStorage);
    problems = List.copyOf(problems);
  }

  public UsageCollection(
      ConnectionRef connection,
      List<UsageSlice> slices,
      Instant coveredTo,
      List<String> methods,
      Set<String> sharedStorage,
      List<DiscoveryProblem> problems) {
    this(connection, slices, coveredTo, methods, sharedStorage, problems, null);
  }
}
