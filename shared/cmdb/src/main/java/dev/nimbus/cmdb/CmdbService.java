package dev.nimbus.cmdb;

import dev.nimbus.model.Attribution;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.PropertyChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies discovery snapshots to the CMDB with AWS Config's rules, writing only what changed:
 *
 * <ul>
 *   <li>a CI not stored before is written with status {@code RESOURCE_DISCOVERED}, state id 1;
 *   <li>a stored live CI with the same content hash is not written at all;
 *   <li>a changed one gets status {@code OK}, state id + 1 and a history entry with its {@code
 *       changedProperties};
 *   <li>an unreachable CI seen again is {@code RECOVERED} (status {@code OK}, written even when its
 *       content is unchanged); a deleted one seen again is {@code CREATED} again;
 *   <li>a stored CI missing from the snapshot is deleted only when its scope is in {@code
 *       completeScopes}; in an {@code unreachableScopes} scope it is marked {@code UNREACHABLE}
 *       once; otherwise it is left alone;
 *   <li>a CI the snapshot lists with status {@code UNREACHABLE} (listed, but its node could not be
 *       read) is created Unreachable when new, and otherwise keeps its stored content and is marked
 *       {@code UNREACHABLE} once;
 *   <li>a stored CI changed by a snapshot captured later than this one is left alone, so a slow,
 *       older run cannot undo a newer one.
 * </ul>
 *
 * Each CI write and its history entry are one transaction; up to {@link
 * CmdbSettings#cisPerTransaction()} CIs share it. When a transaction loses a race with a concurrent
 * run, each of its CIs is re-read, decided again and written alone, so no update is lost and no
 * state id is recorded twice.
 */
public final class CmdbService {
  /** Attempts per CI after a conflicted transaction before the apply gives up. */
  static final int MAX_ATTEMPTS = 8;

  private final CiRepository repository;
  private final CmdbSettings settings;
  private final Clock clock;

  public CmdbService(CiRepository repository, CmdbSettings settings, Clock clock) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public CiRepository repository() {
    return repository;
  }

  /**
   * Reads the connection's stored CIs once for one discovery run: the {@link
   * Session#previousSnapshot() previous snapshot} given to the provider and the {@link
   * Session#apply apply} of its result share that read, so a run reads the connection's CIs once
   * rather than twice (at 10,000 guests, tens of megabytes). A CI that a concurrent run changed in
   * between fails its version check and is re-read and decided again, as in any apply.
   */
  public Session open(ConnectionRef connection) {
    return new Session(connection, repository.allOfConnection(connection));
  }

  /** One run's view of the stored CIs; see {@link #open}. */
  public final class Session {
    private final ConnectionRef connection;
    private final List<StoredCi> stored;

    private Session(ConnectionRef connection, List<StoredCi> stored) {
      this.connection = connection;
      this.stored = List.copyOf(stored);
    }

    public DiscoverySnapshot previousSnapshot() {
      return CmdbService.this.previousSnapshot(connection, stored);
    }

    public ApplyResult apply(DiscoverySnapshot snapshot) {
      if (!snapshot.connection().equals(connection)) {
        throw new IllegalArgumentException(
            "snapshot of " + snapshot.connection() + " applied in a session of " + connection);
      }
      return CmdbService.this.apply(snapshot, stored);
    }
  }

  /** Applies a snapshot and stores its provider state (when changed); see the class comment. */
  public ApplyResult apply(DiscoverySnapshot snapshot) {
    return apply(snapshot, repository.allOfConnection(snapshot.connection()));
  }

  private ApplyResult apply(DiscoverySnapshot snapshot, List<StoredCi> storedCis) {
    Instant started = clock.instant();
    Run run = new Run(snapshot);
    Map<String, StoredCi> stored = new HashMap<>();
    for (StoredCi ci : storedCis) {
      stored.put(ci.nativeKey(), ci);
    }
    List<Pending> pending = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfigurationItem item : snapshot.items()) {
      if (!seen.add(item.nativeKey())) {
        throw new IllegalArgumentException("the snapshot lists " + item.nativeKey() + " twice");
      }
      run.collect(
          pending,
          item.nativeKey(),
          item,
          decideSeen(item, stored.get(item.nativeKey()), snapshot));
    }
    for (StoredCi ci : stored.values()) {
      if (!seen.contains(ci.nativeKey())) {
        run.collect(pending, ci.nativeKey(), null, decideVanished(ci, snapshot));
      }
    }
    for (int from = 0; from < pending.size(); from += settings.cisPerTransaction()) {
      run.write(
          pending.subList(from, Math.min(pending.size(), from + settings.cisPerTransaction())));
    }
    // After the CIs: if they fail, the provider's cursor is not advanced and the next run rereads.
    run.saveProviderState();
    return run.result(Duration.between(started, clock.instant()));
  }

  /**
   * The snapshot the previous runs left: the connection's live CIs (not deleted) with their stored
   * status, the scopes of unreachable CIs as {@code unreachableScopes}, the stored provider state,
   * and as capture time the latest of the stored state, the last CI change and the last run start
   * ({@link Instant#EPOCH} when nothing is stored).
   */
  public DiscoverySnapshot previousSnapshot(ConnectionRef connection) {
    return previousSnapshot(connection, repository.allOfConnection(connection));
  }

  private DiscoverySnapshot previousSnapshot(ConnectionRef connection, List<StoredCi> all) {
    Optional<DiscoveryState> state = repository.discoveryState(connection);
    Instant capturedAt = Instant.EPOCH;
    for (StoredCi ci : all) {
      capturedAt = later(capturedAt, ci.lastChanged());
    }
    if (state.isPresent()) {
      capturedAt = later(capturedAt, state.get().capturedAt());
    }
    for (RunRecord r : repository.latestRuns(connection, 1)) {
      capturedAt = later(capturedAt, r.startedAt());
    }
    List<ConfigurationItem> live = new ArrayList<>();
    Set<String> unreachable = new TreeSet<>();
    for (StoredCi ci : all) {
      if (ci.status().isLive()) {
        live.add(ci.item());
      }
      if (ci.status() == CiStatus.UNREACHABLE) {
        unreachable.add(ci.item().scope());
      }
    }
    return new DiscoverySnapshot(
        connection,
        capturedAt,
        live,
        Set.of(),
        unreachable,
        Map.of(),
        List.of(),
        state.map(DiscoveryState::providerState).orElse(null),
        0);
  }

  private static Instant later(Instant a, Instant b) {
    return b.isAfter(a) ? b : a;
  }

  /** What happened to one CI in a run; several outcomes write nothing. */
  enum Outcome {
    CREATED,
    UPDATED,
    RECOVERED,
    DELETED,
    MARKED_UNREACHABLE,
    STILL_UNREACHABLE,
    UNCHANGED,
    /** The stored CI was changed by a snapshot captured after this one. */
    STALE,
    /** Missing from the snapshot, but its scope was not part of the run. */
    NOT_COVERED,
    /** Missing from the snapshot and already deleted. */
    ALREADY_DELETED
  }

  /** An outcome and, if something must be stored, the write. */
  record Decision(Outcome outcome, CiWrite write) {
    static Decision none(Outcome outcome) {
      return new Decision(outcome, null);
    }
  }

  private record Pending(String nativeKey, ConfigurationItem seen, Decision decision) {}

  /** The decision for a CI the snapshot contains, given what is stored (null: nothing). */
  Decision decideSeen(ConfigurationItem seen, StoredCi stored, DiscoverySnapshot snapshot) {
    String hash = seen.contentHash();
    if (seen.status() == CiStatus.UNREACHABLE) {
      return decideSeenUnreachable(seen, stored, snapshot);
    }
    if (stored == null) {
      return change(
          Outcome.CREATED,
          null,
          seen,
          hash,
          CiStatus.RESOURCE_DISCOVERED,
          ChangeKind.CREATED,
          List.of(),
          snapshot);
    }
    if (stored.lastChanged().isAfter(snapshot.capturedAt())) {
      return Decision.none(Outcome.STALE);
    }
    if (stored.status() == CiStatus.RESOURCE_DISCOVERED || stored.status() == CiStatus.OK) {
      // Most CIs of a run are unchanged: equal hashes settle that without a field-level diff.
      if (hash.equals(stored.contentHash())) {
        return Decision.none(Outcome.UNCHANGED);
      }
    }
    List<PropertyChange> changes = seen.changesSince(stored.item());
    return switch (stored.status()) {
      case RESOURCE_DELETED ->
          change(
              Outcome.CREATED,
              stored,
              seen,
              hash,
              CiStatus.RESOURCE_DISCOVERED,
              ChangeKind.CREATED,
              changes,
              snapshot);
      case UNREACHABLE ->
          change(
              Outcome.RECOVERED,
              stored,
              seen,
              hash,
              CiStatus.OK,
              ChangeKind.RECOVERED,
              changes,
              snapshot);
      case RESOURCE_DISCOVERED, OK ->
          change(
              Outcome.UPDATED,
              stored,
              seen,
              hash,
              CiStatus.OK,
              ChangeKind.UPDATED,
              changes,
              snapshot);
    };
  }

  /**
   * A CI the provider saw listed but could not read (its node is offline): a new one is created
   * Unreachable from what the listing said, a known one keeps its last known content and becomes
   * Unreachable. Either way nothing is blanked by what could not be read.
   */
  private Decision decideSeenUnreachable(
      ConfigurationItem seen, StoredCi stored, DiscoverySnapshot snapshot) {
    if (stored == null || !stored.status().isLive()) {
      return change(
          Outcome.CREATED,
          stored,
          seen,
          seen.contentHash(),
          CiStatus.UNREACHABLE,
          ChangeKind.CREATED,
          stored == null ? List.of() : seen.changesSince(stored.item()),
          snapshot);
    }
    if (stored.lastChanged().isAfter(snapshot.capturedAt())) {
      return Decision.none(Outcome.STALE);
    }
    if (stored.status() == CiStatus.UNREACHABLE) {
      return Decision.none(Outcome.STILL_UNREACHABLE);
    }
    return change(
        Outcome.MARKED_UNREACHABLE,
        stored,
        stored.item(),
        stored.contentHash(),
        CiStatus.UNREACHABLE,
        ChangeKind.UNREACHABLE,
        List.of(),
        snapshot);
  }

  /** The decision for a stored CI the snapshot does not contain. */
  Decision decideVanished(StoredCi stored, DiscoverySnapshot snapshot) {
    if (!stored.status().isLive()) {
      return Decision.none(Outcome.ALREADY_DELETED);
    }
    String scope = stored.item().scope();
    boolean complete = snapshot.completeScopes().contains(scope);
    boolean unreachable = snapshot.unreachableScopes().contains(scope);
    if (!complete && !unreachable) {
      return Decision.none(Outcome.NOT_COVERED);
    }
    if (stored.lastChanged().isAfter(snapshot.capturedAt())) {
      return Decision.none(Outcome.STALE);
    }
    if (complete) {
      return change(
          Outcome.DELETED,
          stored,
          stored.item(),
          stored.contentHash(),
          CiStatus.RESOURCE_DELETED,
          ChangeKind.DELETED,
          List.of(),
          snapshot);
    }
    if (stored.status() == CiStatus.UNREACHABLE) {
      return Decision.none(Outcome.STILL_UNREACHABLE);
    }
    return change(
        Outcome.MARKED_UNREACHABLE,
        stored,
        stored.item(),
        stored.contentHash(),
        CiStatus.UNREACHABLE,
        ChangeKind.UNREACHABLE,
        List.of(),
        snapshot);
  }

  private Decision change(
      Outcome outcome,
      StoredCi stored,
      ConfigurationItem content,
      String hash,
      CiStatus status,
      ChangeKind kind,
      List<PropertyChange> changes,
      DiscoverySnapshot snapshot) {
    Instant at = snapshot.capturedAt();
    long stateId = stored == null ? 1 : stored.configurationStateId() + 1;
    long expectedVersion = stored == null ? 0 : stored.version();
    Attribution who =
        snapshot.attributions().getOrDefault(content.nativeKey(), Attribution.UNKNOWN);
    CiChange change = new CiChange(kind, changes, who, at);
    StoredCi next =
        new StoredCi(
            content.withStatus(status),
            stateId,
            hash,
            stored == null ? at : stored.firstSeen(),
            at,
            expectedVersion + 1,
            change);
    CiHistoryEntry history =
        new CiHistoryEntry(
            next.id(),
            content.connection(),
            content.nativeKey(),
            stateId,
            status,
            change,
            at.plus(settings.historyRetention()));
    return new Decision(outcome, new CiWrite(expectedVersion, next, history));
  }

  /** The mutable bookkeeping of one apply. */
  private final class Run {
    private final DiscoverySnapshot snapshot;
    private final Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    private final List<StoredCi> written = new ArrayList<>();
    private long writeRequests;
    private long writtenItems;
    private int conflicts;

    Run(DiscoverySnapshot snapshot) {
      this.snapshot = snapshot;
    }

    void collect(
        List<Pending> pending, String nativeKey, ConfigurationItem seen, Decision decision) {
      if (decision.write() == null) {
        count(decision.outcome());
      } else {
        pending.add(new Pending(nativeKey, seen, decision));
      }
    }

    void write(List<Pending> batch) {
      writeRequests++;
      try {
        repository.write(batch.stream().map(p -> p.decision().write()).toList());
      } catch (CiConflictException e) {
        conflicts++;
        for (Pending p : batch) {
          writeAlone(p);
        }
        return;
      }
      writtenItems += 2L * batch.size();
      for (Pending p : batch) {
        done(p.decision());
      }
    }

    /** After a conflict: re-read, decide again against the fresh state, write this CI alone. */
    private void writeAlone(Pending p) {
      ConnectionRef connection = snapshot.connection();
      for (int attempt = 1; ; attempt++) {
        StoredCi current = repository.find(connection, p.nativeKey()).orElse(null);
        Decision d;
        if (p.seen() != null) {
          d = decideSeen(p.seen(), current, snapshot);
        } else if (current != null) {
          d = decideVanished(current, snapshot);
        } else {
          d = Decision.none(Outcome.ALREADY_DELETED);
        }
        if (d.write() == null) {
          count(d.outcome());
          return;
        }
        writeRequests++;
        try {
          repository.write(List.of(d.write()));
          writtenItems += 2;
          done(d);
          return;
        } catch (CiConflictException e) {
          conflicts++;
          if (attempt >= MAX_ATTEMPTS) {
            throw new CiConflictException(
                "CI "
                    + p.nativeKey()
                    + " of "
                    + connection
                    + " still conflicts after "
                    + attempt
                    + " attempts",
                e);
          }
        }
      }
    }

    private void done(Decision d) {
      count(d.outcome());
      written.add(d.write().next());
    }

    private void count(Outcome outcome) {
      counts.merge(outcome, 1, Integer::sum);
    }

    /** Stores the provider's cursor when it changed, unless a later run stored one already. */
    void saveProviderState() {
      ConnectionRef connection = snapshot.connection();
      for (int attempt = 1; ; attempt++) {
        Optional<DiscoveryState> current = repository.discoveryState(connection);
        if (current.isPresent() && current.get().capturedAt().isAfter(snapshot.capturedAt())) {
          return;
        }
        boolean same =
            current
                .map(s -> s.providerState().equals(snapshot.providerState()))
                .orElse(snapshot.providerState().isEmpty());
        if (same) {
          return;
        }
        writeRequests++;
        try {
          repository.saveDiscoveryState(
              new DiscoveryState(connection, snapshot.providerState(), snapshot.capturedAt(), 0),
              current.map(DiscoveryState::version).orElse(0L));
          writtenItems++;
          return;
        } catch (CiConflictException e) {
          conflicts++;
          if (attempt >= MAX_ATTEMPTS) {
            throw e;
          }
        }
      }
    }

    ApplyResult result(Duration duration) {
      return new ApplyResult(
          snapshot.connection(),
          snapshot.capturedAt(),
          n(Outcome.CREATED),
          n(Outcome.UPDATED),
          n(Outcome.RECOVERED),
          n(Outcome.DELETED),
          n(Outcome.UNCHANGED) + n(Outcome.STALE),
          n(Outcome.MARKED_UNREACHABLE) + n(Outcome.STILL_UNREACHABLE),
          writeRequests,
          writtenItems,
          conflicts,
          duration,
          written);
    }

    private int n(Outcome outcome) {
      return counts.getOrDefault(outcome, 0);
    }
  }
}
