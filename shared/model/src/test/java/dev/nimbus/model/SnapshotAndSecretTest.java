package dev.nimbus.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotAndSecretTest {
  private static final ConnectionRef LAB = new ConnectionRef("acme", "lab");

  @Test
  void theFirstRunHasNoPreviousState() {
    DiscoverySnapshot none = DiscoverySnapshot.none(LAB);

    assertThat(none.isFirstRun()).isTrue();
    assertThat(none.isPartial()).isFalse();
  }

  @Test
  void aScopeCannotBeCompleteAndUnreachableAtOnce() {
    assertThatThrownBy(
            () ->
                new DiscoverySnapshot(
                    LAB,
                    Instant.now(),
                    List.of(),
                    Set.of("node/pve1"),
                    Set.of("node/pve1"),
                    Map.of(),
                    List.of(),
                    null,
                    0))
        .hasMessageContaining("node/pve1");
  }

  @Test
  void aSnapshotRefusesCisOfAnotherConnection() {
    ConfigurationItem foreign =
        ConfigurationItem.discovered(
            "proxmox",
            new ConnectionRef("acme", "prod"),
            "node/pve1",
            SemanticType.HOST,
            "node",
            "pve1",
            null,
            null,
            null);

    assertThatThrownBy(
            () ->
                new DiscoverySnapshot(
                    LAB,
                    Instant.now(),
                    List.of(foreign),
                    Set.of(),
                    Set.of(),
                    Map.of(),
                    List.of(),
                    null,
                    0))
        .hasMessageContaining("belongs to acme/prod");
  }

  @Test
  void anUnreachableScopeMakesTheSnapshotPartial() {
    DiscoverySnapshot s =
        new DiscoverySnapshot(
            LAB,
            Instant.now(),
            List.of(),
            Set.of("cluster"),
            Set.of("node/pve3"),
            Map.of(),
            List.of(),
            null,
            12);

    assertThat(s.isPartial()).isTrue();
  }

  @Test
  void aSecretNeverShowsItselfAndIsGoneAfterItsOneUse() {
    Secret secret = Secret.of("11111111-2222-3333-4444-555555555555");

    assertThat(secret.toString()).doesNotContain("1111");
    assertThat(String.valueOf(List.of(secret))).doesNotContain("1111");
    String header = secret.useOnce(v -> "PVEAPIToken=u@pve!t=" + v);
    assertThat(header).endsWith("5555");
    assertThat(secret.isDestroyed()).isTrue();
    assertThatThrownBy(secret::reveal).hasMessageNotContaining("1111");
  }

  @Test
  void aConnectionCheckIsOkOnlyWhenNothingRequiredIsMissing() {
    var optional =
        new PermissionRequirement(
            Feature.GUEST_AGENT, "/vms", "VM.Monitor", false, "guest agent IPs");
    var required =
        new PermissionRequirement(Feature.DISCOVERY, "/", "Sys.Audit", true, "cluster status");

    assertThat(new ConnectionCheck(true, "8.2.4", "u@pve!t", List.of(optional), null).ok())
        .isTrue();
    ConnectionCheck missing =
        new ConnectionCheck(true, "8.2.4", "u@pve!t", List.of(required), null);
    assertThat(missing.ok()).isFalse();
    assertThat(missing.allows(Feature.USAGE)).isTrue();
    assertThat(missing.allows(Feature.DISCOVERY)).isFalse();
  }
}
