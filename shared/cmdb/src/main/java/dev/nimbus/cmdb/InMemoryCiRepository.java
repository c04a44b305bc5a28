package dev.nimbus.cmdb;

import dev.nimbus.model.CiId;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A {@link CiRepository} in memory with the same semantics as the DynamoDB one (optimistic
 * versions, all-or-nothing writes, unique history entries, the same orders and opaque cursors), for
 * the unit tests of the apply rules and of the discovery function. Thread-safe; it also counts the
 * write calls it accepted and the items they stored.
 */
public final class InMemoryCiRepository implements CiRepository {
  private final Map<String, TreeMap<String, StoredCi>> cisByConnection = new HashMap<>();
  private final Map<CiId, TreeMap<Long, CiHistoryEntry>> history = new HashMap<>();
  private final Map<String, DiscoveryState> states = new HashMap<>();
  private final Map<String, TreeMap<String, RunRecord>> runs = new HashMap<>();
  private long writeCalls;
  private long writtenItems;

  @Override
  public synchronized Optional<StoredCi> find(ConnectionRef connection, String nativeKey) {
    return Optional.ofNullable(cis(connection).get(nativeKey));
  }

  @Override
  public synchronized Page<StoredCi> byConnection(
      ConnectionRef connection, int pageSize, String cursor) {
    return page(
        List.copyOf(cis(connection).values()),
        ci -> CmdbKeys.ciSk(ci.nativeKey()),
        true,
        pageSize,
        cursor);
  }

  @Override
  public synchronized Page<StoredCi> byTenantAndType(
      String tenantId, SemanticType type, int pageSize, String cursor) {
    return liveMatching(
        ci -> ci.connection().tenantId().equals(tenantId) && ci.item().semanticType() == type,
        pageSize,
        cursor);
  }

  @Override
  public synchronized Page<StoredCi> byCompartment(
      ConnectionRef connection, CiId compartment, int pageSize, String cursor) {
    return liveMatching(
        ci ->
            ci.connection().equals(connection)
                && CmdbKeys.compartmentOf(ci.item()).filter(compartment::equals).isPresent(),
        pageSize,
        cursor);
  }

  @Override
  public synchronized Page<StoredCi> byRelationship(
      ConnectionRef connection,
      RelationshipKind kind,
      String targetNativeKey,
      int pageSize,
      String cursor) {
    List<StoredCi> matching =
        cis(connection).values().stream()
            .filter(ci -> ci.status().isLive())
            .filter(
                ci ->
                    ci.item().relationships(kind).stream()
                        .anyMatch(r -> r.targetNativeKey().equals(targetNativeKey)))
            .toList();
    return page(matching, ci -> CmdbKeys.ciSk(ci.nativeKey()), true, pageSize, cursor);
  }

  @Override
  public synchronized Page<CiHistoryEntry> timeline(
      ConnectionRef connection, CiId ciId, int pageSize, String cursor) {
    TreeMap<Long, CiHistoryEntry> entries = history.getOrDefault(ciId, new TreeMap<>());
    // Same rule as the DynamoDB key (tenant and connection in the history's partition key).
    return page(
        entries.descendingMap().values().stream()
            .filter(h -> h.connection().equals(connection))
            .toList(),
        h -> CmdbKeys.historySk(h.configurationStateId()),
        false,
        pageSize,
        cursor);
  }

  @Override
  public synchronized void write(List<CiWrite> writes) {
    if (writes.size() > MAX_WRITES_PER_CALL) {
      throw new IllegalArgumentException(
          "at most " + MAX_WRITES_PER_CALL + " CI writes per call, got " + writes.size());
    }
    for (CiWrite w : writes) {
      StoredCi current = cis(w.next().connection()).get(w.next().nativeKey());
      long version = current == null ? 0 : current.version();
      if (version != w.expectedVersion()) {
        throw new CiConflictException(
            "CI "
                + w.next().nativeKey()
                + " is at version "
                + version
                + ", not "
                + w.expectedVersion());
      }
      if (history
          .getOrDefault(w.history().ciId(), new TreeMap<>())
          .containsKey(w.history().configurationStateId())) {
        throw new CiConflictException(
            "CI "
                + w.next().nativeKey()
                + " already has a history entry for state "
                + w.history().configurationStateId());
      }
    }
    for (CiWrite w : writes) {
      cis(w.next().connection()).put(w.next().nativeKey(), w.next());
      history
          .computeIfAbsent(w.history().ciId(), k -> new TreeMap<>())
          .put(w.history().configurationStateId(), w.history());
    }
    writeCalls++;
    writtenItems += 2L * writes.size();
  }

  @Override
  public synchronized Optional<DiscoveryState> discoveryState(ConnectionRef connection) {
    return Optional.ofNullable(states.get(CmdbKeys.connectionPk(connection)));
  }

  @Override
  public synchronized DiscoveryState saveDiscoveryState(
      DiscoveryState state, long expectedVersion) {
    String key = CmdbKeys.connectionPk(state.connection());
    DiscoveryState current = states.get(key);
    long version = current == null ? 0 : current.version();
    if (version != expectedVersion) {
      throw new CiConflictException(
          "discovery state of " + state.connection() + " is at version " + version);
    }
    DiscoveryState stored =
        new DiscoveryState(
            state.connection(), state.providerState(), state.capturedAt(), expectedVersion + 1);
    states.put(key, stored);
    writeCalls++;
    writtenItems++;
    return stored;
  }

  @Override
  public synchronized void saveRun(RunRecord run) {
    runs.computeIfAbsent(CmdbKeys.connectionPk(run.connection()), k -> new TreeMap<>())
        .put(CmdbKeys.runSk(run.startedAt()), run);
    writeCalls++;
    writtenItems++;
  }

  @Override
  public synchronized List<RunRecord> latestRuns(ConnectionRef connection, int n) {
    return runs
        .getOrDefault(CmdbKeys.connectionPk(connection), new TreeMap<>())
        .descendingMap()
        .values()
        .stream()
        .limit(n)
        .toList();
  }

  /** Write calls accepted so far (CI transactions, state and run writes). */
  public synchronized long writeCalls() {
    return writeCalls;
  }

  /** Items stored so far. */
  public synchronized long writtenItems() {
    return writtenItems;
  }

  /** Every history entry of a CI, oldest first. */
  public synchronized List<CiHistoryEntry> history(CiId ciId) {
    return List.copyOf(history.getOrDefault(ciId, new TreeMap<>()).values());
  }

  private TreeMap<String, StoredCi> cis(ConnectionRef connection) {
    return cisByConnection.computeIfAbsent(CmdbKeys.connectionPk(connection), k -> new TreeMap<>());
  }

  /** Live CIs of every connection matching, in the order of the GSI sort key. */
  private Page<StoredCi> liveMatching(Predicate<StoredCi> filter, int pageSize, String cursor) {
    List<StoredCi> matching = new ArrayList<>();
    for (TreeMap<String, StoredCi> cis : cisByConnection.values()) {
      for (StoredCi ci : cis.values()) {
        if (ci.status().isLive() && filter.test(ci)) {
          matching.add(ci);
        }
      }
    }
    Function<StoredCi, String> key = ci -> CmdbKeys.connectionSk(ci.connection(), ci.nativeKey());
    matching.sort(Comparator.comparing(key));
    return page(matching, key, true, pageSize, cursor);
  }

  /** A page of {@code ordered} after the cursor (the sort key of the previous page's last item). */
  private static <T> Page<T> page(
      List<T> ordered, Function<T, String> key, boolean ascending, int pageSize, String cursor) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be at least 1");
    }
    String after = cursor == null ? null : decode(cursor);
    List<T> out = new ArrayList<>();
    for (T item : ordered) {
      if (after != null) {
        int c = key.apply(item).compareTo(after);
        if (ascending ? c <= 0 : c >= 0) {
          continue;
        }
      }
      if (out.size() == pageSize) {
        return new Page<>(out, encode(key.apply(out.getLast())));
      }
      out.add(item);
    }
    return new Page<>(out, null);
  }

  private static String encode(String key) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a cursor of this repository", e);
    }
  }
}
