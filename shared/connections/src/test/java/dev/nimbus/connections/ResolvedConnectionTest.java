package dev.nimbus.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResolvedConnectionTest {
  private static ResolvedConnection resolved() {
    return new ResolvedConnection(
        new ConnectionRef("acme", "lab"),
        Endpoint.of("pve.lab.example"),
        Optional.empty(),
        TlsTrust.systemTrustStore(),
        "discovery@pve!ro",
        Secret.of(TestData.TOKEN_SECRET),
        Map.of("CF-Access-Client-Secret", Secret.of(TestData.HEADER_SECRET)),
        DiscoveryScope.everything());
  }

  @Test
  void itPrintsWithoutItsSecrets() {
    String text = resolved().toString();

    assertThat(text).contains("discovery@pve!ro").contains("Secret[****]");
    assertThat(text).doesNotContain(TestData.TOKEN_SECRET).doesNotContain(TestData.HEADER_SECRET);
  }

  @Test
  void itBuildsTheProxmoxTokenAuthorizationHeader() {
    try (ResolvedConnection r = resolved();
        Secret header = r.authorizationHeader()) {
      assertThat(header.reveal())
          .isEqualTo("PVEAPIToken=discovery@pve!ro=" + TestData.TOKEN_SECRET);
    }
  }

  @Test
  void closingItDestroysEverySecret() {
    ResolvedConnection r = resolved();
    r.close();

    assertThat(r.tokenSecret().isDestroyed()).isTrue();
    assertThat(r.secretHeaders().values()).allMatch(Secret::isDestroyed);
    assertThatThrownBy(r::authorizationHeader).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theApiBaseHonoursPortPathPrefixAndIpv6() {
    assertThat(Endpoint.of("pve.lab.example").apiBase())
        .hasToString("https://pve.lab.example:8006/api2/json");
    assertThat(new Endpoint("fd00::1", 443, Optional.of("/pve")).apiBase())
        .hasToString("https://[fd00::1]:443/pve/api2/json");
  }
}
