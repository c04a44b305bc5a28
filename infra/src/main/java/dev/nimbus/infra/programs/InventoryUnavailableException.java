package dev.nimbus.infra.programs;

import dev.nimbus.connections.FieldError;
import java.util.List;

/**
 * The connection exists but nothing has been discovered on it yet, so deployment inputs cannot be
 * checked: a conflict with the connection's state (409), not bad input.
 */
public final class InventoryUnavailableException extends RuntimeException {
  private final List<FieldError> errors;

  public InventoryUnavailableException(List<FieldError> errors) {
    super("nothing discovered yet");
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
