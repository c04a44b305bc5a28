package dev.nimbus.cmdb.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.cmdb.CiChange;
import dev.nimbus.cmdb.CiHistoryEntry;
import dev.nimbus.cmdb.Fixtures;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.model.Attributes;
import dev.nimbus.model.Attribution;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.PropertyChange;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class CiItemCodecTest {
  private static final ConnectionRef LAB = new ConnectionRef("acme", "lab");
  private static final Instant AT = Instant.parse("2026-03-01T10:15:00Z");

  private static StoredCi stored(ConfigurationItem ci, CiChange change) {
    return new StoredCi(
        ci.withStatus(CiStatus.OK), 7, ci.contentHash(), AT.minusSeconds(3600), AT, 7, change);
  }

  @Test
  void aCiItemDecodesToTheSameCiWithItsLastChange() {
    ConfigurationItem vm = Fixtures.find(Fixtures.cluster(LAB), "qemu/101");
    CiChange change =
        new CiChange(
            ChangeKind.UPDATED,
            List.of(
                new PropertyChange("attributes.cores", 2L, 4L, PropertyChange.Kind.UPDATE),
                new PropertyChange(
                    "attributes.nics[1]",
                    Map.of("bridge", "vmbr1", "mtu", 1500L),
                    null,
                    PropertyChange.Kind.DELETE),
                new PropertyChange(
                    "attributes.tags", null, List.of("prod", "web"), PropertyChange.Kind.CREATE),
                new PropertyChange("attributes.rate", 12.5, 125.25, PropertyChange.Kind.UPDATE)),
            new Attribution(
                "alice@pve", "UPID:pve1:0001:qmconfig", "qmconfig", AT.minusSeconds(30)),
            AT);
    StoredCi ci = stored(vm, change);

    Map<String, AttributeValue> item = CiItemCodec.encode(ci);

    assertThat(CiItemCodec.isCi(item)).isTrue();
    assertThat(CiItemCodec.isHistory(item)).isFalse();
    assertThat(CiItemCodec.decode(item)).isEqualTo(ci);
    assertThat(item.get("PK").s()).isEqualTo("CONN#acme#lab");
    assertThat(item.get("SK").s()).isEqualTo("CI#qemu/101");
    assertThat(item.get("GSI1PK").s()).isEqualTo("TENANT#acme#TYPE#COMPUTE");
    assertThat(item.get("GSI1SK").s()).isEqualTo("CONN#lab#qemu/101");
    assertThat(item.get("GSI2PK").s()).startsWith("COMPARTMENT#acme#lab#ci-");
    assertThat(item.get("relationshipIndex").ss()).contains("RUNS_ON node/pve1");
    assertThat(item.get("attributes").s()).isEqualTo(vm.attributes().toCanonicalJson());
  }

  @Test
  void aDeletedCiCarriesNoIndexKeysAndAnUnattributedChangeNoAttribution() {
    ConfigurationItem lxc = Fixtures.find(Fixtures.cluster(LAB), "lxc/200");
    StoredCi deleted =
        new StoredCi(
            lxc.withStatus(CiStatus.RESOURCE_DELETED),
            2,
            lxc.contentHash(),
            AT,
            AT,
            2,
            new CiChange(ChangeKind.DELETED, List.of(), Attribution.UNKNOWN, AT));

    Map<String, AttributeValue> item = CiItemCodec.encode(deleted);

    assertThat(item).doesNotContainKeys("GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK");
    assertThat(item.get("lastChange").m()).doesNotContainKey("attribution");
    assertThat(CiItemCodec.decode(item)).isEqualTo(deleted);
  }

  @Test
  void aHistoryItemDecodesToItsEntryAndExpiresByTtl() {
    ConfigurationItem vm = Fixtures.find(Fixtures.cluster(LAB), "qemu/101");
    CiHistoryEntry entry =
        new CiHistoryEntry(
            vm.id(),
            LAB,
            "qemu/101",
            12,
            CiStatus.UNREACHABLE,
            new CiChange(ChangeKind.UNREACHABLE, List.of(), null, AT),
            AT.plus(Duration.ofDays(400)));

    Map<String, AttributeValue> item = CiItemCodec.encode(entry);

    assertThat(item.get("PK").s()).isEqualTo("CI#acme#lab#" + vm.id().value());
    assertThat(item.get("SK").s()).isEqualTo("S#000000000012");
    assertThat(item.get("expiresAt").n())
        .isEqualTo(Long.toString(AT.plus(Duration.ofDays(400)).getEpochSecond()));
    assertThat(CiItemCodec.decodeHistory(item)).isEqualTo(entry);
    assertThatThrownBy(() -> CiItemCodec.decode(item)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aGuestWith30Nics30DisksLongTagsAndDescriptionIsAFractionOfTheItemLimit() {
    ConfigurationItem big = Fixtures.bigGuest(LAB);
    StoredCi created =
        new StoredCi(
            big,
            1,
            big.contentHash(),
            AT,
            AT,
            1,
            new CiChange(ChangeKind.CREATED, List.of(), null, AT));

    long size = ItemSize.of(CiItemCodec.encode(created));

    System.out.printf("big guest CI item as created: %,d bytes%n", size);
    assertThat(size).isGreaterThan(20_000).isLessThan(ItemSize.LIMIT / 8);
  }

  @Test
  void hugeAttributesAreStoredCompressedAndReadBackUnchanged() {
    ConfigurationItem vm = Fixtures.find(Fixtures.cluster(LAB), "qemu/101");
    Map<String, Object> attributes = new LinkedHashMap<>(vm.attributes().asMap());
    for (int i = 0; i < 1000; i++) {
      attributes.put("extra" + i, "line " + i + " of a very long generated note ".repeat(20));
    }
    ConfigurationItem huge = Fixtures.withAttributes(vm, Attributes.of(attributes));
    StoredCi ci = stored(huge, new CiChange(ChangeKind.CREATED, List.of(), null, AT));

    Map<String, AttributeValue> item = CiItemCodec.encode(ci);

    assertThat((long) huge.attributes().toCanonicalJson().length()).isGreaterThan(ItemSize.LIMIT);
    assertThat(item).doesNotContainKey("attributes");
    assertThat(item.get("attributesGzip").b()).isNotNull();
    assertThat(ItemSize.of(item)).isLessThan(ItemSize.LIMIT);
    assertThat(CiItemCodec.decode(item)).isEqualTo(ci);
  }

  @Test
  void itemSizeFollowsDynamoDbsRules() {
    Map<String, AttributeValue> item =
        Map.of(
            "PK", AttributeValue.fromS("abc"),
            "n", AttributeValue.fromN("12345"),
            "l",
                AttributeValue.fromL(
                    List.of(AttributeValue.fromBool(true), AttributeValue.fromS("xy"))));

    // PK: 2 + 3; n: 1 + (5 digits -> 3 + 1); l: 1 + 3 + (1 + 1) + (1 + 2)
    assertThat(ItemSize.of(item)).isEqualTo(5 + 5 + 9);
  }
}
