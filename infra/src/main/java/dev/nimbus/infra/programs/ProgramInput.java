package dev.nimbus.infra.programs;

import java.util.Objects;
import java.util.Set;

/**
 * One input of a {@link DeploymentProgram}, as the wizard's form and API users see it. {@code type}
 * names what the program's parser ({@link Inputs}) reads: {@code string} ({@code string}, {@code
 * matching}), {@code integer} ({@code integer}, {@code vmid}), {@code boolean} ({@code bool}),
 * {@code list} (of strings, {@code strings}) or {@code objects} (a list of JSON objects, {@code
 * objects}). {@code ProgramInputsTest} keeps each program's declaration true to its parser.
 *
 * @param name the field name in the {@code inputs} object
 * @param type one of {@link #TYPES}
 * @param required whether the program refuses inputs without it
 * @param description one short line: the rule the value must follow, its range and its default
 */
public record ProgramInput(String name, String type, boolean required, String description) {
  public static final Set<String> TYPES = Set.of("string", "integer", "boolean", "list", "objects");

  public ProgramInput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    if (name.isBlank()) {
      throw new IllegalArgumentException("an input needs a name");
    }
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("input " + name + ": type must be one of " + TYPES);
    }
  }

  static ProgramInput required(String name, String type, String description) {
    return new ProgramInput(name, type, true, description);
  }

  static ProgramInput optional(String name, String type, String description) {
    return new ProgramInput(name, type, false, description);
  }
}
