package dev.nimbus.events;

import static dev.nimbus.events.testing.TestCis.ALICE;
import static dev.nimbus.events.testing.TestCis.LAB;
import static dev.nimbus.events.testing.TestCis.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.cmdb.CiChange;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.events.testing.TestCis;
import dev.nimbus.model.Attribution;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.PropertyChange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class CiChangeEventFactoryTest {
  private final CiChangeEventFactory factory = new CiChangeEventFactory();

  private static ChangeRecord modify(StoredCi before, StoredCi after, String sequence) {
    return new ChangeRecord(
        "ev-" + sequence, "MODIFY", sequence, TestCis.image(after), TestCis.image(before));
  }

  @Test
  void anUpdatedCiBecomesOneUpdatedEventWithItsDiffCaptureTimeAndAttribution() {
    StoredCi after = TestCis.web1Updated();

    CiChangeEvent event =
        factory.eventFor(modify(TestCis.web1Created(), after, "100")).orElseThrow();

    assertThat(event.kind()).isEqualTo(ChangeKind.UPDATED);
    assertThat(event.ci().id()).isEqualTo(after.id());
    assertThat(event.configurationStateId()).isEqualTo(2);
    assertThat(event.changedProperties())
        .containsExactly(
            new PropertyChange("attributes.memory", 2048L, 4096L, PropertyChange.Kind.UPDATE));
    assertThat(event.captureTime()).isEqualTo(T0.plusSeconds(60));
    assertThat(event.attribution()).isEqualTo(ALICE);
  }

  @Test
  void aNewCiBecomesACreatedEvent() {
    ChangeRecord insert =
        new ChangeRecord("ev-1", "INSERT", "1", TestCis.image(TestCis.web1Created()), null);

    CiChangeEvent event = factory.eventFor(insert).orElseThrow();

    assertThat(event.kind()).isEqualTo(ChangeKind.CREATED);
    assertThat(event.ci().status()).isEqualTo(CiStatus.RESOURCE_DISCOVERED);
    assertThat(event.changedProperties()).isEmpty();
  }

  @Test
  void historyRunAndOtherItemsProduceNoEvent() {
    Map<String, AttributeValue> history = new HashMap<>(TestCis.image(TestCis.web1Created()));
    history.put("itemType", AttributeValue.fromS("CI_HISTORY"));
    Map<String, AttributeValue> webhook =
        Map.of(
            "PK", AttributeValue.fromS("TENANT#acme"),
            "SK", AttributeValue.fromS("WEBHOOK#ops"),
            "itemType", AttributeValue.fromS("WEBHOOK"));

    assertThat(factory.eventFor(new ChangeRecord("a", "INSERT", "1", history, null))).isEmpty();
    assertThat(factory.eventFor(new ChangeRecord("b", "INSERT", "2", webhook, null))).isEmpty();
  }

  @Test
  void aRemovedItemProducesNoEvent() {
    ChangeRecord remove =
        new ChangeRecord("ev", "REMOVE", "7", null, TestCis.image(TestCis.web1Created()));

    assertThat(factory.eventFor(remove)).isEmpty();
  }

  @Test
  void aCiRewrittenWithoutANewConfigurationStateProducesNoEvent() {
    StoredCi state = TestCis.web1Updated();

    assertThat(factory.eventFor(modify(state, state, "5"))).isEmpty();
  }

  @Test
  void anUndecodableCiImageIsRefusedAsPoison() {
    Map<String, AttributeValue> broken = new HashMap<>(TestCis.image(TestCis.web1Updated()));
    broken.put("configurationStateId", AttributeValue.fromS("not a number"));
    broken.remove("ciId");

    assertThatThrownBy(() -> factory.eventFor(new ChangeRecord("x", "MODIFY", "9", broken, null)))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void theSameRecordDeliveredTwiceYieldsTheSameEventId() {
    ChangeRecord first = modify(TestCis.web1Created(), TestCis.web1Updated(), "100");
    ChangeRecord redelivered = modify(TestCis.web1Created(), TestCis.web1Updated(), "100");

    assertThat(factory.eventFor(redelivered).orElseThrow().eventId())
        .isEqualTo(factory.eventFor(first).orElseThrow().eventId());
  }

  @Test
  void differentStatesOfOneCiHaveDifferentEventIds() {
    StoredCi two = TestCis.web1Updated();
    StoredCi three =
        TestCis.stored(
            two.item().withStatus(CiStatus.UNREACHABLE),
            3,
            new CiChange(
                ChangeKind.UNREACHABLE, List.of(), Attribution.UNKNOWN, T0.plusSeconds(120)));

    String id2 = factory.eventFor(modify(TestCis.web1Created(), two, "1")).orElseThrow().eventId();
    CiChangeEvent e3 = factory.eventFor(modify(two, three, "2")).orElseThrow();

    assertThat(e3.eventId()).isNotEqualTo(id2);
    assertThat(e3.kind()).isEqualTo(ChangeKind.UNREACHABLE);
  }

  @Test
  void attributesThatLookSecretAreRedactedInTheCiAndTheDiff() {
    var before = TestCis.web1(LAB, Map.of("storage", Map.of("password", "old-pass")));
    var after =
        TestCis.web1(LAB, Map.of("storage", Map.of("password", "new-pass")))
            .withStatus(CiStatus.OK);
    StoredCi stored =
        TestCis.stored(
            after, 2, new CiChange(ChangeKind.UPDATED, after.changesSince(before), ALICE, T0));

    CiChangeEvent event =
        factory
            .eventFor(new ChangeRecord("x", "MODIFY", "3", TestCis.image(stored), null))
            .orElseThrow();

    assertThat(event.changedProperties())
        .containsExactly(
            new PropertyChange(
                "attributes.storage.password",
                SecretRedaction.REDACTED,
                SecretRedaction.REDACTED,
                PropertyChange.Kind.UPDATE));
    assertThat(event.ci().attributes().toCanonicalJson())
        .doesNotContain("new-pass")
        .contains("\"password\":\"[redacted]\"");
    assertThat(CiChangeEventJson.envelope(event))
        .doesNotContain("new-pass")
        .doesNotContain("old-pass");
  }

  @Test
  void theSummaryReadsAsOneLine() {
    CiChangeEvent event =
        factory.eventFor(modify(TestCis.web1Created(), TestCis.web1Updated(), "1")).orElseThrow();

    assertThat(event.summary())
        .isEqualTo(
            "UPDATED qemu/101 web-1: attributes.memory 2048 -> 4096 by alice@pve ("
                + TestCis.UPID
                + ")");
  }
}
