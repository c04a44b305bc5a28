package dev.nimbus.connections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ConnectionItemsTest {
  private static final ConnectionRef REF = new ConnectionRef("acme", "lab");
  private static final Instant NOW = Instant.parse("2026-03-04T10:07:30.123Z");

  private static EncryptedSecret encrypted(String keyId) {
    return new EncryptedSecret(1, keyId, new byte[] {1, 2, 3}, new byte[12], new byte[] {9, 8});
  }

  private static Connection connection(ConnectionStatus status) {
    TreeMap<String, EncryptedSecret> headers = new TreeMap<>();
    headers.put("CF-Access-Client-Secret", encrypted("k2"));
    return new Connection(
        REF,
        "Lab",
        new Endpoint("pve.lab.example", 443, Optional.of("/pve")),
        Optional.of(new TunnelProxy(ProxyType.SOCKS5, "127.0.0.1", 1055)),
        headers,
        new TlsTrust(
            new TreeMap<>(Map.of("pve1", TestData.FINGERPRINT.toLowerCase())),
            Optional.of("PEM"),
            true),
        "discovery@pve!ro",
        encrypted("k1"),
        DiscoveryScope.compartments(Set.of("prod", "prod/web")),
        Schedule.parse("rate(15 minutes)"),
        status,
        Optional.of(
            new RunSummary(NOW, NOW.plusSeconds(4), false, 12, Optional.of("node pve2 offline"))),
        Optional.of(NOW.plusSeconds(900)),
        NOW,
        "alice",
        NOW,
        "bob",
        7);
  }

  @Test
  void aConnectionSurvivesTheTripToAnItemAndBack() {
    Connection c = connection(ConnectionStatus.FAILING);

    assertThat(ConnectionItems.fromItem(ConnectionItems.toItem(c))).isEqualTo(c);
  }

  @Test
  void fingerprintsAreStoredInTheUpperCaseProxmoxShows() {
    var item = ConnectionItems.toItem(connection(ConnectionStatus.ACTIVE));

    assertThat(item.get("tlsPinnedFingerprints").m().get("pve1").s())
        .isEqualTo(TestData.FINGERPRINT);
  }

  @Test
  void theItemUsesTheSharedKeySchemeAndIsScheduledOnGsi1() {
    var item = ConnectionItems.toItem(connection(ConnectionStatus.ACTIVE));

    assertThat(item.get("PK").s()).isEqualTo("TENANT#acme");
    assertThat(item.get("SK").s()).isEqualTo("CONN#lab");
    assertThat(item.get("itemType").s()).isEqualTo("CONNECTION");
    assertThat(item.get("GSI1PK").s()).isEqualTo("SCHEDULE");
    assertThat(item.get("GSI1SK").s()).isEqualTo("2026-03-04T10:22:30Z#acme#lab");
    assertThat(item.get("version").n()).isEqualTo("7");
  }

  @Test
  void aDisabledConnectionIsLeftOutOfTheScheduleIndex() {
    var item = ConnectionItems.toItem(connection(ConnectionStatus.DISABLED));

    assertThat(item).doesNotContainKeys("GSI1PK", "GSI1SK");
  }

  @Test
  void anAuditEntryIsKeyedByConnectionTimeAndAUniqueSuffixAndReadsBack() {
    AuditEntry e =
        new AuditEntry(
            REF, NOW, "alice", AuditAction.TOKEN_REPLACED, java.util.List.of("tokenSecret"), 3);

    var item = ConnectionItems.toItem(e, "0a1b2c3d");

    assertThat(item.get("PK").s()).isEqualTo("TENANT#acme");
    assertThat(item.get("SK").s()).isEqualTo("AUDIT#lab#2026-03-04T10:07:30.123Z#0a1b2c3d");
    assertThat(item.get("itemType").s()).isEqualTo("CONNECTION_AUDIT");
    assertThat(ConnectionItems.auditFromItem(item)).isEqualTo(e);
  }
}
