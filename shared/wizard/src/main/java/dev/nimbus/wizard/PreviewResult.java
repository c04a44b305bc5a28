package dev.nimbus.wizard;

import dev.nimbus.model.SemanticType;
import java.util.List;
import java.util.Map;

/**
 * A dry-run discovery: what the first run would store (counts by semantic type), what it could not
 * read, and what it cost. Nothing was written.
 *
 * @param complete false when the preview stopped at its deadline (the counts are then a lower
 *     bound)
 */
public record PreviewResult(
    Map<SemanticType, Integer> counts,
    int cis,
    int relationships,
    List<String> problems,
    long proxmoxCalls,
    long millis,
    boolean complete) {
  public PreviewResult {
    counts = Map.copyOf(counts);
    problems = List.copyOf(problems);
  }
}
