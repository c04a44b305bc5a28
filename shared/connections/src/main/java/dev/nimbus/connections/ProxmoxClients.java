package dev.nimbus.connections;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxySettings;
import dev.nimbus.proxmox.client.tls.TlsTrust;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Turns a stored connection, its secrets decrypted for this run, into a Proxmox client. */
public final class ProxmoxClients {
  private ProxmoxClients() {}

  public static ProxmoxClient create(ResolvedConnection c, int maxConcurrentRequests, Clock clock) {
    return ProxmoxClient.create(settings(c, maxConcurrentRequests), clock);
  }

  public static ClientSettings settings(ResolvedConnection c, int maxConcurrentRequests) {
    var b =
        // apiBase() is https://host:port[/prefix]/api2/json; the client keeps the prefix.
        ClientSettings.builder(c.endpoint().apiBase())
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(Duration.ofSeconds(30))
            .maxConcurrentRequests(maxConcurrentRequests)
            .trust(trust(c.tls()))
            // The client keeps the secret for this run; the resolved connection destroys it after.
            .apiToken(c.tokenId(), c.tokenSecret());
    for (Map.Entry<String, Secret> h : c.secretHeaders().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    c.proxy()
        .ifPresent(
            p ->
                b.proxy(
                    p.type() == ProxyType.SOCKS5
                        ? ProxySettings.socks5(p.host(), p.port())
                        : ProxySettings.httpConnect(p.host(), p.port())));
    return b.build();
  }

  /**
   * Pinned fingerprints win (a tunnel may land on any node, so any node's pin is accepted), then a
   * CA, then the system trust store. The connection's validator guarantees one of them is set.
   */
  public static TlsTrust trust(dev.nimbus.connections.TlsTrust tls) {
    if (!tls.pinnedFingerprints().isEmpty()) {
      Set<String> pins = new TreeSet<>(tls.pinnedFingerprints().values());
      return new TlsTrust.PinnedFingerprints(pins);
    }
    if (tls.caPem().isPresent()) {
      return new TlsTrust.CustomCa(tls.caPem().get());
    }
    return new TlsTrust.SystemTrustStore();
  }
}
