package dev.nimbus.model;

import java.util.List;
import java.util.Objects;

/** The usage samples of one connection for a time range, plus what could not be sampled. */
public record UsageReport(
    ConnectionRef connection,
    TimeRange range,
    List<UsageSample> samples,
    List<DiscoveryProblem> problems) {
  public UsageReport {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(range, "range");
    samples = List.copyOf(samples);
    problems = List.copyOf(problems);
  }
}
