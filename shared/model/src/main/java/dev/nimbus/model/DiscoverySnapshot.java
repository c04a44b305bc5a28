package dev.nimbus.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one discovery run saw of a connection. {@code completeScopes} are the scopes read in full (a
 * CI of such a scope that is missing from {@code items} is deleted); {@code unreachableScopes}
 * could not be read (their CIs are kept and marked unreachable). A scope in neither set was not
 * part of this run and is left alone. {@code attributions} maps native keys to who changed them
 * since the previous run. {@code providerState} is a small opaque cursor the provider gets back on
 * the next run (for example the time of the last task it read, or a sweep position). {@code
 * failedScopes} names the scopes (or families within a scope) a call failed for: nothing they would
 * have listed was deleted and nothing they would have supplied was changed; the run record shows
 * them.
 */
public record DiscoverySnapshot(
    ConnectionRef connection,
    Instant capturedAt,
    List<ConfigurationItem> items,
    Set<String> completeScopes,
    Set<String> unreachableScopes,
    Map<String, Attribution> attributions,
    List<DiscoveryProblem> problems,
    SortedMap<String, String> providerState,
    long providerCalls,
    Set<String> failedScopes) {

  public DiscoverySnapshot {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(capturedAt, "capturedAt");
    items = List.copyOf(items);
    completeScopes = Set.copyOf(new TreeSet<>(completeScopes));
    unreachableScopes = Set.copyOf(new TreeSet<>(unreachableScopes));
    attributions = Map.copyOf(attributions);
    problems = List.copyOf(problems);
    failedScopes = Set.copyOf(new TreeSet<>(failedScopes == null ? Set.of() : failedScopes));
    providerState =
        java.util.Collections.unmodifiableSortedMap(
            new TreeMap<>(providerState == null ? Map.of() : providerState));
    for (String scope : completeScopes) {
      if (unreachableScopes.contains(scope)) {
        throw new IllegalArgumentException(
            "scope " + scope + " cannot be complete and unreachable");
      }
    }
    for (ConfigurationItem item : items) {
      if (!item.connection().equals(connection)) {
        throw new IllegalArgumentException(
            "CI " + item.nativeKey() + " belongs to " + item.connection() + ", not " + connection);
      }
    }
  }

  /** A snapshot that names no failed scope beyond its problems. */
  public DiscoverySnapshot(
      ConnectionRef connection,
      Instant capturedAt,
      List<ConfigurationItem> items,
      Set<String> completeScopes,
      Set<String> unreachableScopes,
      Map<String, Attribution> attributions,
      List<DiscoveryProblem> problems,
      SortedMap<String, String> providerState,
      long providerCalls) {
    this(
        connection,
        capturedAt,
        items,
        completeScopes,
        unreachableScopes,
        attributions,
        problems,
        providerState,
        providerCalls,
        Set.of());
  }

  /** The snapshot before the first run: nothing seen yet. */
  public static DiscoverySnapshot none(ConnectionRef connection) {
    return new DiscoverySnapshot(
        connection, Instant.EPOCH, List.of(), Set.of(), Set.of(), Map.of(), List.of(), null, 0);
  }

  /** True when no run happened before. */
  public boolean isFirstRun() {
    return capturedAt.equals(Instant.EPOCH) && items.isEmpty();
  }

  /** True when some scope could not be read or some problem was reported. */
  public boolean isPartial() {
    return !unreachableScopes.isEmpty() || !failedScopes.isEmpty() || !problems.isEmpty();
  }
}
