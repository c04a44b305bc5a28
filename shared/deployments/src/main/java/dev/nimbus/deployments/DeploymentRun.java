package dev.nimbus.deployments;

import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The record of one runner operation on one stack, updated as the engine reports progress: the
 * validated inputs and their hash (an {@code UP} must match an approved preview's hash), the
 * resource steps so far, the summary, errors (engine diagnostics and forwarder failures, never a
 * secret) and, after an {@code UP}, the CI native keys linked to URNs.
 */
public record DeploymentRun(
    String runId,
    ConnectionRef connection,
    String program,
    String stack,
    Operation operation,
    RunStatus status,
    Instant startedAt,
    Instant finishedAt,
    Map<String, Object> inputs,
    String inputsHash,
    List<ResourceStep> steps,
    Map<String, Integer> summary,
    List<String> errors,
    Map<String, String> linkedCis) {

  public DeploymentRun {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(connection, "connection");
    steps = List.copyOf(steps == null ? List.of() : steps);
    summary = Map.copyOf(summary == null ? Map.of() : summary);
    errors = List.copyOf(errors == null ? List.of() : errors);
    linkedCis = Map.copyOf(linkedCis == null ? Map.of() : linkedCis);
  }

  /** This run with the steps so far. */
  public DeploymentRun progress(List<ResourceStep> now) {
    return new DeploymentRun(
        runId,
        connection,
        program,
        stack,
        operation,
        status,
        startedAt,
        finishedAt,
        inputs,
        inputsHash,
        now,
        summary,
        errors,
        linkedCis);
  }

  /** This run, finished. */
  public DeploymentRun finish(
      RunStatus s,
      Instant at,
      List<ResourceStep> finalSteps,
      Map<String, Integer> sum,
      List<String> errs,
      Map<String, String> links) {
    return new DeploymentRun(
        runId,
        connection,
        program,
        stack,
        operation,
        s,
        startedAt,
        at,
        inputs,
        inputsHash,
        finalSteps,
        sum,
        errs,
        links);
  }
}
