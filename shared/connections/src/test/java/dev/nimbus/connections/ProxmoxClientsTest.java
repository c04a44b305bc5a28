package dev.nimbus.connections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.ProxySettings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxmoxClientsTest {
  private static final String FP =
      "9A:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

  private static ResolvedConnection connection(TlsTrust tls, Optional<TunnelProxy> proxy) {
    return new ResolvedConnection(
        new ConnectionRef("acme", "lab"),
        new Endpoint("tunnel.example.com", 443, Optional.of("/pve-lab")),
        proxy,
        tls,
        "nimbus@pve!discovery",
        Secret.of("11111111-2222-3333-4444-555555555555"),
        Map.of("CF-Access-Client-Secret", Secret.of("cf-secret-value")),
        new DiscoveryScope.Everything());
  }

  @Test
  void theTunnelPathHeadersProxyAndPinsOfTheConnectionReachTheClient() {
    ClientSettings s =
        ProxmoxClients.settings(
            connection(
                TlsTrust.pinned(Map.of("pve1", FP.toLowerCase())),
                Optional.of(new TunnelProxy(ProxyType.SOCKS5, "127.0.0.1", 1055))),
            6);

    assertThat(s.apiRoot()).isEqualTo("https://tunnel.example.com:443/pve-lab/api2/json");
    assertThat(s.extraHeaders()).containsKey("CF-Access-Client-Secret");
    assertThat(s.proxy()).isEqualTo(ProxySettings.socks5("127.0.0.1", 1055));
    assertThat(s.maxConcurrentRequests()).isEqualTo(6);
    assertThat(s.trust())
        .isEqualTo(
            new dev.nimbus.proxmox.client.tls.TlsTrust.PinnedFingerprints(java.util.Set.of(FP)));
    assertThat(s.toString()).doesNotContain("cf-secret-value", "55555555");
  }

  @Test
  void aCaOrTheSystemTrustStoreIsUsedWhenNothingIsPinned() {
    assertThat(ProxmoxClients.trust(TlsTrust.systemTrustStore()))
        .isInstanceOf(dev.nimbus.proxmox.client.tls.TlsTrust.SystemTrustStore.class);
  }
}
