package dev.nimbus.infra.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.connections.FieldError;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each program's {@link DeploymentProgram#inputs()} against its parser: the wizard builds its form
 * from the declaration, so a field the parser reads but does not declare could never be entered,
 * and a declared field the parser refuses would fail every deployment that sets it.
 */
class ProgramInputsTest {
  /** A cluster with nothing in it: no check passes, so the parser reports every field it reads. */
  private static final Inventory EMPTY =
      new Inventory(
          Set.of(),
          Map.of(),
          new TreeMap<>(),
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          Map.of(),
          Set.of());

  static Stream<Named<DeploymentProgram>> programs() {
    return ProgramCatalog.standard().all().stream().map(p -> Named.of(p.name(), p));
  }

  /** The raw inputs as the API hands them over, remembering every field the parser asks for. */
  private static final class RecordingInputs extends AbstractMap<String, Object> {
    private final Map<String, Object> values;
    final Set<String> asked = new LinkedHashSet<>();

    RecordingInputs(Map<String, Object> values) {
      this.values = values;
    }

    @Override
    public Object get(Object key) {
      asked.add((String) key);
      return values.get(key);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return values.entrySet();
    }
  }

  private static List<FieldError> errorsOf(DeploymentProgram p, Map<String, Object> raw) {
    try {
      p.plan(raw, EMPTY);
      return List.of();
    } catch (InputException e) {
      return e.errors();
    }
  }

  private static List<String> names(DeploymentProgram p) {
    return p.inputs().stream().map(ProgramInput::name).toList();
  }

  @ParameterizedTest
  @MethodSource("programs")
  void theParserReadsExactlyTheDeclaredInputsAndRequiresExactlyTheRequiredOnes(
      DeploymentProgram p) {
    var raw = new RecordingInputs(Map.of());
    var e = catchThrowableOfType(InputException.class, () -> p.plan(raw, EMPTY));

    assertThat(raw.asked)
        .as(p.name() + ": fields read")
        .containsExactlyInAnyOrderElementsOf(names(p));
    assertThat(names(p)).as(p.name() + ": declared once each").doesNotHaveDuplicates();

    Map<String, String> missing = new LinkedHashMap<>();
    e.errors().forEach(fe -> missing.put(fe.field(), fe.message()));
    assertThat(missing.keySet())
        .as(p.name() + ": fields refused when absent")
        .containsExactlyInAnyOrderElementsOf(
            p.inputs().stream().filter(ProgramInput::required).map(ProgramInput::name).toList());
    assertThat(missing.values()).containsOnly("is required");
  }

  @ParameterizedTest
  @MethodSource("programs")
  void everyDeclaredInputIsAcceptedAndAnUndeclaredOneIsRefused(DeploymentProgram p) {
    Map<String, Object> raw = new HashMap<>();
    for (ProgramInput i : p.inputs()) {
      raw.put(i.name(), sample(i.type()));
    }
    raw.put("memoryGiB", 4);
    var errors = errorsOf(p, raw);
    assertThat(errors)
        .filteredOn(fe -> fe.message().equals("is not an input of this program"))
        .extracting(FieldError::field)
        .containsExactly("memoryGiB");
  }

  /** A wrong JSON type for each declared input draws the parser's own message for its type. */
  @ParameterizedTest
  @MethodSource("programs")
  void eachDeclaredTypeIsTheTypeTheParserReads(DeploymentProgram p) {
    for (ProgramInput i : p.inputs()) {
      var errors = errorsOf(p, Map.of(i.name(), wrongValue(i.type())));
      assertThat(errors)
          .as(p.name() + "." + i.name() + " declared " + i.type())
          .contains(new FieldError(i.name(), typeMessage(i.type())));
    }
  }

  @ParameterizedTest
  @MethodSource("programs")
  void descriptionsAreShortUserFacingLines(DeploymentProgram p) {
    for (ProgramInput i : p.inputs()) {
      assertThat(i.description()).as(p.name() + "." + i.name()).isNotBlank().hasSizeLessThan(200);
      assertThat(i.description()).doesNotContain("\n");
    }
  }

  @Test
  void anInputOfAnUnknownTypeCannotBeDeclared() {
    assertThatThrownBy(() -> new ProgramInput("vmid", "number", true, "a guest id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vmid");
  }

  private static Object sample(String type) {
    return switch (type) {
      case "integer" -> 1;
      case "boolean" -> true;
      case "list" -> List.of("x");
      case "objects" -> List.of(Map.of("direction", "in", "action", "ACCEPT"));
      default -> "x";
    };
  }

  private static Object wrongValue(String type) {
    return switch (type) {
      case "string" -> 7;
      case "integer" -> "seven";
      case "boolean" -> "yes";
      case "list", "objects" -> 7;
      default -> throw new IllegalArgumentException(type);
    };
  }

  private static String typeMessage(String type) {
    return switch (type) {
      case "string" -> "must be a string";
      case "integer" -> "must be a whole number";
      case "boolean" -> "must be true or false";
      case "list" -> "must be a list of strings";
      case "objects" -> "must be a list of objects";
      default -> throw new IllegalArgumentException(type);
    };
  }
}
