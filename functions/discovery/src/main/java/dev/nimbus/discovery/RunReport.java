package dev.nimbus.discovery;

import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.SemanticType;
import java.util.List;
import java.util.Map;

/**
 * What one discovery run did, as the function answers it and the local run prints it. {@code
 * ciCounts} counts the live CIs of the snapshot by semantic type; {@code relationships} counts
 * their edges.
 */
public record RunReport(
    ConnectionRef connection,
    boolean succeeded,
    RunRecord run,
    Map<SemanticType, Integer> ciCounts,
    int relationships,
    List<String> problems) {
  public RunReport {
    ciCounts = Map.copyOf(ciCounts);
    problems = List.copyOf(problems);
  }
}
