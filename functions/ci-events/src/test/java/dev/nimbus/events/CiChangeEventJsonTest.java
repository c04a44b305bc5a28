package dev.nimbus.events;

import static dev.nimbus.events.testing.TestCis.ALICE;
import static dev.nimbus.events.testing.TestCis.LAB;
import static dev.nimbus.events.testing.TestCis.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.events.testing.ChangeEventSchema;
import dev.nimbus.events.testing.TestCis;
import dev.nimbus.model.Attribution;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.PropertyChange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

class CiChangeEventJsonTest {

  private static CiChangeEvent updated() {
    ConfigurationItem before = TestCis.web1(LAB, Map.of());
    ConfigurationItem after = TestCis.web1(LAB, Map.of("memory", 4096)).withStatus(CiStatus.OK);
    return CiChangeEvent.of(ChangeKind.UPDATED, after, 2, after.changesSince(before), T0, ALICE);
  }

  @Test
  void theExampleInTheRepositoryIsValidAgainstTheSchema() {
    assertThat(ChangeEventSchema.errors(ChangeEventSchema.resource(ChangeEventSchema.EXAMPLE)))
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ChangeKind.class)
  void anEventOfEveryKindIsValidAgainstTheSchema(ChangeKind kind) {
    CiStatus status =
        switch (kind) {
          case CREATED -> CiStatus.RESOURCE_DISCOVERED;
          case DELETED -> CiStatus.RESOURCE_DELETED;
          case UNREACHABLE -> CiStatus.UNREACHABLE;
          case UPDATED, RECOVERED -> CiStatus.OK;
        };
    CiChangeEvent event =
        CiChangeEvent.of(
            kind,
            TestCis.web1(LAB, Map.of()).withStatus(status),
            3,
            List.of(),
            T0,
            Attribution.UNKNOWN);

    String json = CiChangeEventJson.envelope(event);

    assertThat(ChangeEventSchema.errors(json)).isEmpty();
    assertThat(CiChangeEventJson.parse(json).get("detail-type").asString())
        .isEqualTo(DetailTypes.of(kind));
  }

  @Test
  void theDetailCarriesTheCiTheDiffAndTheAttributionLikeAnAwsConfigNotification() {
    JsonNode detail = CiChangeEventJson.parse(CiChangeEventJson.detail(updated()));

    assertThat(detail.get("messageType").asString())
        .isEqualTo("ConfigurationItemChangeNotification");
    assertThat(detail.get("configurationStateId").asLong()).isEqualTo(2);
    assertThat(detail.at("/configurationItem/nativeKey").asString()).isEqualTo("qemu/101");
    assertThat(detail.at("/configurationItem/attributes/memory").asLong()).isEqualTo(4096);
    assertThat(detail.at("/configurationItemDiff/changeType").asString()).isEqualTo("UPDATE");
    JsonNode change = detail.at("/configurationItemDiff/changedProperties/0");
    assertThat(change.get("path").asString()).isEqualTo("attributes.memory");
    assertThat(change.get("previousValue").asLong()).isEqualTo(2048);
    assertThat(change.get("updatedValue").asLong()).isEqualTo(4096);
    assertThat(change.get("changeType").asString()).isEqualTo("UPDATE");
    assertThat(detail.at("/attribution/user").asString()).isEqualTo("alice@pve");
    assertThat(detail.at("/attribution/taskId").asString()).isEqualTo(TestCis.UPID);
  }

  @Test
  void aCreatedPropertyHasANullPreviousValue() {
    ConfigurationItem before = TestCis.web1(LAB, Map.of());
    ConfigurationItem after = TestCis.web1(LAB, Map.of("balloon", 1024));
    CiChangeEvent event =
        CiChangeEvent.of(ChangeKind.UPDATED, after, 2, after.changesSince(before), T0, ALICE);

    JsonNode change =
        CiChangeEventJson.parse(CiChangeEventJson.detail(event))
            .at("/configurationItemDiff/changedProperties/0");

    assertThat(change.get("previousValue").isNull()).isTrue();
    assertThat(change.get("changeType").asString()).isEqualTo(PropertyChange.Kind.CREATE.name());
  }

  @Test
  void anEventTooBigForEventBridgeIsSentInItsOversizedFormWhichIsStillValid() {
    String big = "x".repeat(300 * 1024);
    ConfigurationItem before = TestCis.web1(LAB, Map.of());
    ConfigurationItem after = TestCis.web1(LAB, Map.of("description", big));
    CiChangeEvent event =
        CiChangeEvent.of(ChangeKind.UPDATED, after, 2, after.changesSince(before), T0, ALICE);

    String detail = CiChangeEventJson.detail(event);
    String envelope = CiChangeEventJson.envelope(event);

    assertThat(detail.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(CiChangeEventJson.MAX_DETAIL_BYTES);
    JsonNode parsed = CiChangeEventJson.parse(detail);
    assertThat(parsed.get("oversized").asBoolean()).isTrue();
    assertThat(parsed.at("/configurationItemDiff/changedProperties/0/path").asString())
        .isEqualTo("attributes.description");
    assertThat(ChangeEventSchema.errors(envelope)).isEmpty();
  }

  @Test
  void anUnknownAttributionIsLeftOut() {
    CiChangeEvent event =
        CiChangeEvent.of(
            ChangeKind.CREATED, TestCis.web1(LAB, Map.of()), 1, List.of(), T0, Attribution.UNKNOWN);

    assertThat(CiChangeEventJson.parse(CiChangeEventJson.detail(event)).has("attribution"))
        .isFalse();
  }
}
