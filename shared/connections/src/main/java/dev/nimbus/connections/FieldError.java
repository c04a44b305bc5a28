package dev.nimbus.connections;

/** One invalid input field: its path (for example {@code endpoint.port}) and what is wrong. */
public record FieldError(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
