package dev.nimbus.pulumi.runner.drift;

import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one drift check found: per stack whether its refresh ran (and the engine's summary), the
 * open drift now (the stacks' and the unmanaged list), the resources whose only differences are
 * provider noise, how many drifts were new or resolved (one event each), and what it cost.
 */
public record DriftCheck(
    ConnectionRef connection,
    Instant checkedAt,
    List<StackResult> stacks,
    List<Drift> open,
    List<Drift> noise,
    int detected,
    int resolved,
    int eventsSent,
    long writes,
    List<String> errors) {

  /** One stack's refresh: {@code ok} false when it failed (its records were left as they were). */
  public record StackResult(
      String stack, boolean ok, Map<String, Integer> summary, int resources, List<String> errors) {}
}
