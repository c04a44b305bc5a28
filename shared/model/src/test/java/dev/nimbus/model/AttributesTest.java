package dev.nimbus.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributesTest {

  @Test
  void keyOrderNumberWidthAndNullsDoNotChangeTheHash() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("memory", 4096);
    a.put("cores", 2);
    a.put("description", null);
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("cores", 2L);
    b.put("memory", 4096.0);

    assertThat(Attributes.of(a)).isEqualTo(Attributes.of(b));
    assertThat(Attributes.of(a).contentHash()).isEqualTo(Attributes.of(b).contentHash());
    assertThat(Attributes.of(a).toCanonicalJson()).isEqualTo("{\"cores\":2,\"memory\":4096}");
  }

  @Test
  void aChangedNestedValueIsReportedWithItsPathAndBothValues() {
    Attributes before =
        Attributes.of(
            Map.of(
                "nics",
                List.of(
                    Map.of("name", "net0", "bridge", "vmbr0"),
                    Map.of("name", "net1", "bridge", "vmbr1"))));
    Attributes after =
        Attributes.of(
            Map.of(
                "nics",
                List.of(
                    Map.of("name", "net0", "bridge", "vmbr0"),
                    Map.of("name", "net1", "bridge", "vmbr2"))));

    assertThat(after.diffFrom(before))
        .containsExactly(
            new PropertyChange("nics[1].bridge", "vmbr1", "vmbr2", PropertyChange.Kind.UPDATE));
  }

  @Test
  void addedAndRemovedKeysAreCreatesAndDeletes() {
    Attributes before = Attributes.of(Map.of("cores", 2, "onboot", true));
    Attributes after = Attributes.of(Map.of("cores", 2, "tags", List.of("prod")));

    assertThat(after.diffFrom(before))
        .containsExactly(
            new PropertyChange("onboot", true, null, PropertyChange.Kind.DELETE),
            new PropertyChange("tags", null, List.of("prod"), PropertyChange.Kind.CREATE));
  }

  @Test
  void unchangedAttributesHaveNoDiff() {
    Attributes a = Attributes.builder().put("cores", 2).put("name", "x").build();

    assertThat(a.diffFrom(Attributes.builder().put("name", "x").put("cores", 2).build())).isEmpty();
  }

  @Test
  void valuesThatAreNotJsonLikeAreRefusedWithTheirPath() {
    Map<String, Object> raw = new HashMap<>();
    raw.put("disk", Map.of("size", new Object()));

    assertThatThrownBy(() -> Attributes.of(raw)).hasMessageContaining("disk.size");
    assertThatThrownBy(() -> Attributes.of(Map.of("cpu", Double.NaN)))
        .hasMessageContaining("not a finite number");
  }

  @Test
  void canonicalJsonEscapesStrings() {
    assertThat(Attributes.of(Map.of("d", "a \"b\"\n\u0001")).toCanonicalJson())
        .isEqualTo("{\"d\":\"a \\\"b\\\"\\n\\u0001\"}");
  }
}
