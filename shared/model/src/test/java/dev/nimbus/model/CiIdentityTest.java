package dev.nimbus.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CiIdentityTest {
  private static final ConnectionRef LAB = new ConnectionRef("acme", "lab");

  private static ConfigurationItem vm(String node, int memory) {
    return ConfigurationItem.discovered(
        "proxmox",
        LAB,
        "qemu/101",
        SemanticType.COMPUTE,
        "qemu",
        "web-1",
        "node/" + node,
        Attributes.of(Map.of("memory", memory)),
        List.of(Relationship.to(RelationshipKind.RUNS_ON, "proxmox", LAB, "node/" + node, "")));
  }

  @Test
  void theSameResourceGetsTheSameIdInEveryRun() {
    assertThat(CiId.of("proxmox", LAB, "qemu/101")).isEqualTo(CiId.of("proxmox", LAB, "qemu/101"));
    assertThat(CiId.of("proxmox", LAB, "qemu/101").value()).matches("ci-[0-9a-f]{32}");
  }

  @Test
  void anotherConnectionTenantOrProviderGetsAnotherId() {
    CiId id = CiId.of("proxmox", LAB, "qemu/101");

    assertThat(CiId.of("proxmox", new ConnectionRef("acme", "prod"), "qemu/101")).isNotEqualTo(id);
    assertThat(CiId.of("proxmox", new ConnectionRef("other", "lab"), "qemu/101")).isNotEqualTo(id);
    assertThat(CiId.of("aws", LAB, "qemu/101")).isNotEqualTo(id);
  }

  @Test
  void aMigratedVmKeepsItsIdButNotItsContent() {
    ConfigurationItem before = vm("pve1", 4096);
    ConfigurationItem after = vm("pve2", 4096);

    assertThat(after.id()).isEqualTo(before.id());
    assertThat(after).isNotEqualTo(before);
    assertThat(after.contentHash()).isNotEqualTo(before.contentHash());
    assertThat(after.changesSince(before))
        .extracting(PropertyChange::path)
        .containsExactly("scope", "relationships.RUNS_ON");
  }

  @Test
  void equalContentGivesEqualCisAndHashesWhateverTheEdgeOrder() {
    var a =
        Relationship.to(RelationshipKind.STORED_ON, "proxmox", LAB, "storage/local-lvm", "scsi0");
    var b = Relationship.to(RelationshipKind.RUNS_ON, "proxmox", LAB, "node/pve1", "");
    ConfigurationItem one =
        ConfigurationItem.discovered(
            "proxmox",
            LAB,
            "qemu/101",
            SemanticType.COMPUTE,
            "qemu",
            "web-1",
            "node/pve1",
            Attributes.of(Map.of("cores", 2)),
            List.of(a, b, a));
    ConfigurationItem two =
        ConfigurationItem.discovered(
            "proxmox",
            LAB,
            "qemu/101",
            SemanticType.COMPUTE,
            "qemu",
            "web-1",
            "node/pve1",
            Attributes.of(Map.of("cores", 2L)),
            List.of(b, a));

    assertThat(one).isEqualTo(two);
    assertThat(one.relationships()).hasSize(2);
    assertThat(one.contentHash()).isEqualTo(two.contentHash());
  }

  @Test
  void statusIsNotPartOfTheContent() {
    ConfigurationItem discovered = vm("pve1", 4096);

    assertThat(discovered.withStatus(CiStatus.UNREACHABLE).contentHash())
        .isEqualTo(discovered.contentHash());
  }

  @Test
  void anIdThatDoesNotBelongToTheResourceIsRefused() {
    CiId other = CiId.of("proxmox", LAB, "qemu/999");

    assertThatThrownBy(
            () ->
                new ConfigurationItem(
                    other,
                    "proxmox",
                    LAB,
                    "qemu/101",
                    SemanticType.COMPUTE,
                    "qemu",
                    "x",
                    null,
                    null,
                    null,
                    CiStatus.OK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void connectionIdsAndNativeKeysAreValidated() {
    assertThatThrownBy(() -> new ConnectionRef("Acme Corp", "lab"))
        .hasMessageContaining("tenantId");
    assertThatThrownBy(() -> CiId.of("proxmox", LAB, " ")).hasMessageContaining("blank");
    assertThatThrownBy(() -> CiId.of("proxmox", LAB, "qemu/\n101"))
        .hasMessageContaining("control character");
  }

  @Test
  void aCiWithoutNameOrScopeGetsReadableDefaults() {
    ConfigurationItem ci =
        ConfigurationItem.discovered(
            "proxmox", LAB, "storage/ceph", SemanticType.STORAGE, "rbd", " ", null, null, null);

    assertThat(ci.name()).isEqualTo("storage/ceph");
    assertThat(ci.scope()).isEqualTo("cluster");
    assertThat(ci.status()).isEqualTo(CiStatus.RESOURCE_DISCOVERED);
  }
}
