package dev.nimbus.connections;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a connection's last discovery run, kept on the connection for a quick status view
 * (the full run record lives with the CMDB). {@code problem} is a short user-facing text.
 */
public record RunSummary(
    Instant startedAt,
    Instant finishedAt,
    boolean succeeded,
    int itemCount,
    Optional<String> problem) {
  public RunSummary {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    problem = problem == null ? Optional.empty() : problem;
  }
}
