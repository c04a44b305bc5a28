package dev.nimbus.pulumi.runner;

import dev.nimbus.connections.FieldError;
import java.util.List;

/**
 * The runner function's answer. {@code status} is an HTTP status the wizard's API can pass on: 200
 * for a run that succeeded (or was found), 409 for a run refused because another update of the
 * stack held the backend's lock, 502 for a run the engine or the provider failed (its record has
 * the errors), and for a request refused before any engine call 400 (bad input), 404 (unknown
 * connection or run) or 409 (not approved, not confirmed), with field errors and no run.
 */
public record RunnerResponse(int status, DeploymentRun run, List<FieldError> errors) {
  public RunnerResponse {
    errors = errors == null ? List.of() : List.copyOf(errors);
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
