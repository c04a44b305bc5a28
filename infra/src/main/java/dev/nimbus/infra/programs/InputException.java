package dev.nimbus.infra.programs;

import dev.nimbus.connections.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A program's inputs were refused: every field error at once (the API answers 400 with them). The
 * message names fields and rules, never an input value that could be a secret.
 */
public final class InputException extends RuntimeException {
  private final List<FieldError> errors;

  public InputException(List<FieldError> errors) {
    super(
        "the inputs are not valid: "
            + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
