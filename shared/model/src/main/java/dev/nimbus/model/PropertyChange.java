package dev.nimbus.model;

import java.util.Objects;

/**
 * One field-level difference between two states of a CI, as in AWS Config's {@code
 * changedProperties}: the dotted path ({@code attributes.nics[0].bridge}, {@code relationships}),
 * the previous and updated values (null when absent) and the kind of change.
 */
public record PropertyChange(String path, Object previousValue, Object updatedValue, Kind kind) {

  /** Whether the property was added, removed or changed in value. */
  public enum Kind {
    CREATE,
    DELETE,
    UPDATE
  }

  public PropertyChange {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
  }
}
