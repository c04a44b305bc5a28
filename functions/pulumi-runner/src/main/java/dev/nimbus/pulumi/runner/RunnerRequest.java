package dev.nimbus.pulumi.runner;

import dev.nimbus.connections.FieldError;
import dev.nimbus.deployments.Operation;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a caller (the wizard's API, an operator) sends the runner function, as JSON:
 *
 * <pre>
 * {"operation": "preview", "tenantId": "acme", "connectionId": "lab", "program": "vm",
 *  "inputs": {...}}
 * {"operation": "up", ..., "inputs": {...}, "approvedPreviewRunId": "20261130T070000123Z-1a2b3c4d"}
 * {"operation": "destroy", ..., "confirmStack": "acme.lab"}
 * {"operation": "status", "tenantId": "acme", "connectionId": "lab", "runId": "..."}
 * {"operation": "status", "tenantId": "acme", "connectionId": "lab", "program": "vm"}
 * {"operation": "drift", "tenantId": "acme", "connectionId": "lab"}                  (every stack)
 * {"operation": "drift", "tenantId": "acme", "connectionId": "lab", "program": "vm"} (one stack)
 * </pre>
 *
 * {@code operation} is kept as text so that an unknown one is a field error of the answer, not a
 * deserialization failure before the function runs.
 */
public record RunnerRequest(
    String operation,
    String tenantId,
    String connectionId,
    String program,
    Map<String, Object> inputs,
    String approvedPreviewRunId,
    String confirmStack,
    String runId) {

  /** The operations a request can name. */
  public enum Kind {
    PREVIEW,
    UP,
    DESTROY,
    STATUS,
    /** A drift check: a preview-only refresh of the connection's stacks, classified. */
    DRIFT
  }

  /** The operation, or a 400 naming the field. */
  public Kind kind() {
    if (operation == null || operation.isBlank()) {
      throw invalidOperation("is required");
    }
    try {
      return Kind.valueOf(operation.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalidOperation("unknown operation '" + operation + "'");
    }
  }

  private static RequestRejected invalidOperation(String why) {
    return new RequestRejected(
        400, List.of(new FieldError("operation", why + ": preview, up, destroy, status or drift")));
  }

  /** The deployment a preview, up or destroy request asks for. */
  public DeploymentRequest deployment(Kind kind) {
    Operation op =
        switch (kind) {
          case PREVIEW -> Operation.PREVIEW;
          case UP -> Operation.UP;
          case DESTROY -> Operation.DESTROY;
          case STATUS, DRIFT -> throw new IllegalArgumentException(kind + " is not a deployment");
        };
    return new DeploymentRequest(
        tenantId, connectionId, program, op, inputs, approvedPreviewRunId, confirmStack);
  }
}
