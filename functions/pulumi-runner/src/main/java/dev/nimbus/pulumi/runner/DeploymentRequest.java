package dev.nimbus.pulumi.runner;

import dev.nimbus.deployments.Operation;
import java.util.Map;

/**
 * One call of the runner (the wizard's API hands it over as JSON): which program, for which tenant
 * and connection, with which inputs, and what to do. {@code approvedPreviewRunId} names the preview
 * an {@code UP} applies; {@code confirmStack} must repeat the stack name for a {@code DESTROY}.
 */
public record DeploymentRequest(
    String tenantId,
    String connectionId,
    String program,
    Operation operation,
    Map<String, Object> inputs,
    String approvedPreviewRunId,
    String confirmStack) {

  public DeploymentRequest {
    inputs = inputs == null ? Map.of() : inputs;
  }
}
