package dev.nimbus.wizard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Router router = new Router();

  RouterTest() {
    router.add("GET", "/api/connections", r -> Reply.ok("list"));
    router.add("GET", "/api/connections/{id}", r -> Reply.ok("one"));
    router.add("POST", "/api/connections/{id}/run", r -> Reply.ok("run"));
  }

  @Test
  void matchesMethodAndTemplateAndExtractsVariables() {
    var m = router.match("GET", "/api/connections/lab", new boolean[1]).orElseThrow();
    assertThat(m.route().template()).isEqualTo("/api/connections/{id}");
    assertThat(m.vars()).isEqualTo(Map.of("id", "lab"));
    assertThat(router.match("POST", "/api/connections/lab/run/", new boolean[1])).isPresent();
  }

  @Test
  void aKnownPathWithAnotherMethodIsToldApartFromAnUnknownPath() {
    boolean[] exists = new boolean[1];
    assertThat(router.match("DELETE", "/api/connections", exists)).isEmpty();
    assertThat(exists[0]).isTrue();
    boolean[] unknown = new boolean[1];
    assertThat(router.match("GET", "/api/connections/lab/x/y", unknown)).isEmpty();
    assertThat(unknown[0]).isFalse();
    assertThat(router.match("GET", "/api/connections//run", new boolean[1])).isEmpty();
  }
}
