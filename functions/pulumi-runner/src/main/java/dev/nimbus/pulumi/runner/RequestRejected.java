package dev.nimbus.pulumi.runner;

import dev.nimbus.connections.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The runner refused a request before any engine call ({@code 400} bad input, {@code 404} unknown
 * connection, {@code 409} not approved or not confirmed), with field-level errors.
 */
public final class RequestRejected extends RuntimeException {
  private final int status;
  private final List<FieldError> errors;

  public RequestRejected(int status, List<FieldError> errors) {
    super(
        status
            + ": "
            + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
