package dev.nimbus.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.cmdb.CiChange;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.model.Attributes;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Relationship;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CiJsonTest {
  private static final ConnectionRef LAB = new ConnectionRef("local", "lab");
  private static final Instant AT = Instant.parse("2026-11-26T06:00:00Z");

  private static ConfigurationItem vm(String nativeKey, String name) {
    return ConfigurationItem.discovered(
        "proxmox",
        LAB,
        nativeKey,
        SemanticType.COMPUTE,
        "qemu",
        name,
        "node/pve1",
        Attributes.of(Map.of("memoryMiB", 4096, "tags", List.of("prod", "web"))),
        List.of(
            Relationship.to(RelationshipKind.RUNS_ON, "proxmox", LAB, "node/pve1", ""),
            Relationship.to(
                RelationshipKind.ATTACHED_TO, "proxmox", LAB, "network/pve1/vmbr0", "net0")));
  }

  private static StoredCi stored(ConfigurationItem ci) {
    return new StoredCi(
        ci.withStatus(CiStatus.OK),
        2,
        ci.contentHash(),
        AT,
        AT,
        2,
        new CiChange(ChangeKind.UPDATED, List.of(), null, AT));
  }

  @Test
  void aCiPrintsExactlyTheDocumentedFields() throws IOException {
    ConfigurationItem web = vm("qemu/101", "web-01").withStatus(CiStatus.OK);

    JsonNode json = CiJson.toJson(web);

    JsonNode expected;
    try (InputStream in = getClass().getResourceAsStream("/ci-json/web-01.json")) {
      expected = JsonMapper.builder().build().readTree(in);
    }
    // Compared as text: the parsed fixture holds ints where the CI holds longs.
    assertThat(CiJson.write(json)).isEqualTo(CiJson.write(expected));
    List<String> fields = new ArrayList<>(json.propertyNames());
    assertThat(fields)
        .containsExactly(
            "id",
            "semanticType",
            "providerType",
            "nativeKey",
            "name",
            "attributes",
            "relationships",
            "status");
    assertThat(new ArrayList<>(json.get("relationships").get(0).propertyNames()))
        .containsExactly("kind", "targetNativeKey", "targetId", "qualifier");
  }

  @Test
  void cisAreListedByNativeKeySoUnchangedClustersPrintTheSameText() {
    List<StoredCi> cis =
        List.of(stored(vm("qemu/102", "web-02")), stored(vm("qemu/101", "web-01")));

    JsonNode json = CiJson.toJson(cis);

    assertThat(json).hasSize(2);
    assertThat(json.get(0).get("nativeKey").asString()).isEqualTo("qemu/101");
    assertThat(CiJson.write(CiJson.toJson(cis)))
        .isEqualTo(CiJson.write(CiJson.toJson(List.of(cis.get(1), cis.get(0)))));
  }
}
