package dev.nimbus.pulumi.runner;

import dev.nimbus.connections.FieldError;
import dev.nimbus.deployments.DeploymentRun;
import dev.nimbus.pulumi.runner.drift.DriftCheck;
import java.util.List;

/**
 * The runner function's answer. {@code status} is an HTTP status the wizard's API can pass on: 200
 * for a run that succeeded (or was found), 409 for a run refused because another update of the
 * stack held the backend's lock, 502 for a run the engine or the provider failed (its record has
 * the errors), and for a request refused before any engine call 400 (bad input), 404 (unknown
 * connection or run) or 409 (not approved, not confirmed), with field errors and no run. A drift
 * check answers {@code drift} instead of {@code run}.
 */
public record RunnerResponse(
    int status, DeploymentRun run, List<FieldError> errors, DriftCheck drift) {
  public RunnerResponse {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public RunnerResponse(int status, DeploymentRun run, List<FieldError> errors) {
    this(status, run, errors, null);
  }

  /**
   * The answer to a drift check: 200 when every stack's refresh ran, 502 when one failed (the
   * check's {@code stacks} say which; the others were checked and stored).
   */
  public static RunnerResponse checked(DriftCheck check) {
    boolean allRan =
        check.errors().isEmpty() && check.stacks().stream().allMatch(DriftCheck.StackResult::ok);
    return new RunnerResponse(allRan ? 200 : 502, null, List.of(), check);
  }

  /** The answer to a preview, up or destroy that ran. */
  public static RunnerResponse ran(DeploymentRun run) {
    int status =
        switch (run.status()) {
          case SUCCEEDED, RUNNING -> 200;
          case REFUSED -> 409;
          case FAILED -> 502;
        };
    return new RunnerResponse(status, run, List.of());
  }

  /** The answer to a status query: the run as it stands. */
  public static RunnerResponse found(DeploymentRun run) {
    return new RunnerResponse(200, run, List.of());
  }

  public static RunnerResponse rejected(RequestRejected e) {
    return new RunnerResponse(e.status(), null, e.errors());
  }
}
