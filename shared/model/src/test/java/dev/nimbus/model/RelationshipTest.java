package dev.nimbus.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RelationshipTest {
  private static final ConnectionRef LAB = new ConnectionRef("acme", "lab");

  @Test
  void theTargetIdIsTheIdTheTargetCiWillHave() {
    Relationship r = Relationship.to(RelationshipKind.RUNS_ON, "proxmox", LAB, "node/pve1", null);

    assertThat(r.targetId()).isEqualTo(CiId.of("proxmox", LAB, "node/pve1"));
    assertThat(r.qualifier()).isEmpty();
    assertThat(r).hasToString("runs on node/pve1");
  }

  @Test
  void everyKindReadsBothWays() {
    assertThat(RelationshipKind.values())
        .allSatisfy(
            k -> {
              assertThat(k.phrase()).isNotBlank();
              assertThat(k.inversePhrase()).isNotBlank().isNotEqualTo(k.phrase());
            });
    assertThat(Arrays.stream(RelationshipKind.values()).map(RelationshipKind::name))
        .contains(
            "RUNS_ON", "MEMBER_OF", "ATTACHED_TO", "STORED_ON", "PROTECTED_BY", "CONTAINED_IN");
  }

  @Test
  void twoNicsOnTheSameBridgeAreTwoEdges() {
    Relationship net0 =
        Relationship.to(RelationshipKind.ATTACHED_TO, "proxmox", LAB, "network/pve1/vmbr0", "net0");
    Relationship net1 =
        Relationship.to(RelationshipKind.ATTACHED_TO, "proxmox", LAB, "network/pve1/vmbr0", "net1");

    assertThat(net0).isNotEqualTo(net1);
    assertThat(net0.compareTo(net1)).isNegative();
  }
}
