package dev.nimbus.connections;

import java.util.List;
import java.util.stream.Collectors;

/** Connection input was refused; carries every field error at once, never a secret value. */
public final class ValidationException extends ConnectionException {
  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(
        "the connection is not valid: "
            + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
