package dev.nimbus.deployments;

import java.util.List;
import java.util.Map;

/**
 * One resource's step as the engine reports it: operation ({@code create}, {@code update}, {@code
 * replace}, {@code delete}, {@code same}, ...), URN, type token, the changed properties and, once
 * the step is done, its outputs (ids and computed values; secret values never reach this record,
 * the engine masks them in events).
 */
public record ResourceStep(
    String op,
    String urn,
    String type,
    List<String> diffs,
    Map<String, String> detailedDiff,
    boolean done,
    boolean failed,
    Map<String, Object> outputs) {
  public ResourceStep {
    diffs = diffs == null ? List.of() : List.copyOf(diffs);
    detailedDiff = detailedDiff == null ? Map.of() : Map.copyOf(detailedDiff);
    outputs = outputs == null ? Map.of() : outputs;
  }
}
