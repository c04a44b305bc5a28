package dev.nimbus.usage;

import java.util.List;
import java.util.stream.Collectors;

/** Input that was refused, field by field; nothing was written. An HTTP route answers 400. */
public final class UsageValidationException extends RuntimeException {
  private final List<FieldError> errors;

  public UsageValidationException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** True when one of the errors is an unknown connection (an HTTP route answers 404). */
  public boolean unknownConnection() {
    return errors.stream().anyMatch(e -> e.field().equals("connectionId"));
  }
}
