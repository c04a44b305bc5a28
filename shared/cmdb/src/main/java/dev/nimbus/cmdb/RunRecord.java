package dev.nimbus.cmdb;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.DiscoverySnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The record of one discovery run of a connection: counts by outcome, Proxmox (provider) calls,
 * DynamoDB write requests and written items of the apply (saving this record is one more), timing,
 * the scopes that could not be read and the errors reported. Error texts come from {@link
 * DiscoveryProblem} messages, which never hold secrets.
 */
public record RunRecord(
    ConnectionRef connection,
    Instant startedAt,
    Instant finishedAt,
    int created,
    int updated,
    int recovered,
    int deleted,
    int unchanged,
    int unreachable,
    long providerCalls,
    long dynamoDbWriteRequests,
    long dynamoDbWrittenItems,
    Set<String> partialScopes,
    List<String> errors) {

  public RunRecord {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    if (finishedAt.isBefore(startedAt)) {
      throw new IllegalArgumentException("a run cannot finish before it starts");
    }
    partialScopes = Set.copyOf(new TreeSet<>(partialScopes == null ? Set.of() : partialScopes));
    errors = List.copyOf(errors == null ? List.of() : errors);
  }

  /** The run of {@code snapshot}, applied with {@code result}. */
  public static RunRecord of(
      DiscoverySnapshot snapshot, ApplyResult result, Instant startedAt, Instant finishedAt) {
    List<String> errors = new ArrayList<>();
    for (DiscoveryProblem p : snapshot.problems()) {
      errors.add(p.kind() + " " + p.subject() + ": " + p.message());
    }
    return new RunRecord(
        snapshot.connection(),
        startedAt,
        finishedAt,
        result.created(),
        result.updated(),
        result.recovered(),
        result.deleted(),
        result.unchanged(),
        result.unreachable(),
        snapshot.providerCalls(),
        result.writeRequests(),
        result.writtenItems(),
        partialScopes(snapshot),
        errors);
  }

  /** The scopes a run could not read in full: unreachable ones and those a call failed for. */
  private static Set<String> partialScopes(DiscoverySnapshot snapshot) {
    Set<String> scopes = new java.util.TreeSet<>(snapshot.unreachableScopes());
    scopes.addAll(snapshot.failedScopes());
    return scopes;
  }

  /** A run that failed before anything was applied. */
  public static RunRecord failed(
      ConnectionRef connection,
      Instant startedAt,
      Instant finishedAt,
      long providerCalls,
      String error) {
    return new RunRecord(
        connection,
        startedAt,
        finishedAt,
        0,
        0,
        0,
        0,
        0,
        0,
        providerCalls,
        0,
        0,
        Set.of(),
        List.of(error));
  }

  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }

  /** True when some scope could not be read or some error was reported. */
  public boolean partial() {
    return !partialScopes.isEmpty() || !errors.isEmpty();
  }
}
