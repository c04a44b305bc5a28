package dev.nimbus.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.model.SemanticType;
import java.net.URI;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookSubscriptionTest {
  private static WebhookSubscription sub(
      boolean enabled, Set<SemanticType> types, Set<ChangeKind> kinds) {
    return new WebhookSubscription(
        "acme",
        "ops",
        URI.create("https://hooks.example.com/n?token=abc123"),
        types,
        kinds,
        enabled,
        Instant.parse("2026-03-01T10:00:00Z"));
  }

  @Test
  void emptyFiltersMatchEveryChangeOfTheTenantOnly() {
    WebhookSubscription all = sub(true, Set.of(), Set.of());

    assertThat(all.matches("acme", SemanticType.STORAGE, ChangeKind.CREATED)).isTrue();
    assertThat(all.matches("globex", SemanticType.STORAGE, ChangeKind.CREATED)).isFalse();
  }

  @Test
  void filtersOnTypeAndKindMustBothMatch() {
    WebhookSubscription computeUpdates =
        sub(true, Set.of(SemanticType.COMPUTE), Set.of(ChangeKind.UPDATED));

    assertThat(computeUpdates.matches("acme", SemanticType.COMPUTE, ChangeKind.UPDATED)).isTrue();
    assertThat(computeUpdates.matches("acme", SemanticType.COMPUTE, ChangeKind.DELETED)).isFalse();
    assertThat(computeUpdates.matches("acme", SemanticType.NETWORK, ChangeKind.UPDATED)).isFalse();
  }

  @Test
  void aDisabledSubscriptionMatchesNothing() {
    assertThat(
            sub(false, Set.of(), Set.of())
                .matches("acme", SemanticType.COMPUTE, ChangeKind.UPDATED))
        .isFalse();
  }

  @Test
  void idsMustBeSlugsAndTheQueryStringStaysOutOfToString() {
    assertThatThrownBy(
            () ->
                new WebhookSubscription(
                    "Acme Corp",
                    "ops",
                    URI.create("https://hooks.example.com/"),
                    Set.of(),
                    Set.of(),
                    true,
                    Instant.EPOCH))
        .hasMessageContaining("tenantId");
    assertThat(sub(true, Set.of(), Set.of()).toString())
        .contains("hooks.example.com/n")
        .doesNotContain("abc123");
  }
}
