package dev.nimbus.testing.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.testing.badinput.BadRequests.BadRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BadRequestsTest {
  private static final BadRequests.Cluster CLUSTER =
      new BadRequests.Cluster(8006, Map.of("pve1", "AA:BB", "pve2", "CC:DD"));

  @Test
  void everyRouteGetsRequestsThatEachBreakSomethingAndTheSameSeedGivesTheSameRequests() {
    BadRequests a = new BadRequests(CLUSTER, new SecretLedger(), 42L);
    BadRequests b = new BadRequests(CLUSTER, new SecretLedger(), 42L);

    for (String route : BadRequests.ROUTES) {
      for (int i = 0; i < 20; i++) {
        BadRequest x = a.next(route);
        BadRequest y = b.next(route);
        assertThat(x.route()).isEqualTo(route);
        assertThat(x.method()).isEqualTo(route.substring(0, route.indexOf(' ')));
        assertThat(x.path()).startsWith("/api/").doesNotContain("{");
        // What was broken is named after the route: tenant=, body., query., path. or raw body.
        assertThat(x.description()).startsWith(route + " ").hasSizeGreaterThan(route.length() + 3);
        assertThat(y.description().replaceAll("[0-9a-f-]{36}", "U"))
            .isEqualTo(x.description().replaceAll("[0-9a-f-]{36}", "U"));
      }
    }
  }

  @Test
  void bodiesCarryRegisteredSecretsButDescriptionsNeverDo() {
    SecretLedger secrets = new SecretLedger();
    BadRequests requests = new BadRequests(CLUSTER, secrets, 7L);
    List<BadRequest> sent = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      sent.add(requests.next("POST /api/mint"));
    }

    assertThat(secrets.size()).isGreaterThan(400);
    assertThat(sent.stream().filter(r -> r.body() != null && !secrets.found(r.body()).isEmpty()))
        .hasSizeGreaterThan(300);
    assertThat(sent).allSatisfy(r -> assertThat(secrets.found(r.description())).isEmpty());
  }

  @Test
  void theRoutesAreDistinctAndIncludeEveryKindOfInput() {
    Set<String> routes = new HashSet<>(BadRequests.ROUTES);

    assertThat(routes).hasSameSizeAs(BadRequests.ROUTES);
    assertThat(routes)
        .contains(
            "GET /api/features",
            "DELETE /api/connections/{id}",
            "GET /api/cis",
            "POST /api/webhooks",
            "POST /api/connections/{id}/deployments/{program}/up");
  }
}
