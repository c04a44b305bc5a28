package dev.nimbus.wizard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.connections.FieldError;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.wizard.WizardException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class InputsScopeTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static DiscoveryScope scope(String json) {
    Body b = new Body(JSON.readTree(json));
    DiscoveryScope scope = Inputs.scope(b);
    b.done();
    return scope;
  }

  @Test
  void aScopeThatIsNotAnObjectIsRefusedRatherThanReadAsEverything() {
    for (String bad : new String[] {"\"all\"", "\"pools\"", "5", "[]", "true"}) {
      assertThatThrownBy(() -> scope("{\"scope\": " + bad + "}"))
          .as(bad)
          .isInstanceOfSatisfying(
              WizardException.class,
              e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("scope"));
    }
  }

  @Test
  void aMissingScopeIsEverythingAndAnObjectIsRead() {
    assertThat(scope("{}")).isEqualTo(new DiscoveryScope.Everything());
    assertThat(scope("{\"scope\": {\"kind\": \"pools\", \"names\": [\"prod\"]}}"))
        .isEqualTo(new DiscoveryScope.Compartments(new TreeSet<>(Set.of("prod"))));
  }
}
