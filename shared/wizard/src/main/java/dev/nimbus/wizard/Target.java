package dev.nimbus.wizard;

import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.ProxmoxClients;
import dev.nimbus.connections.ProxyType;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.connections.TunnelProxy;
import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.ProxySettings;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where and how the wizard reaches a cluster before (or while) a connection is stored: endpoint,
 * optional proxy, secret tunnel headers and TLS trust. Secrets are held as {@link Secret}s; {@link
 * #close()} destroys them.
 */
public record Target(
    Endpoint endpoint, Optional<TunnelProxy> proxy, Map<String, Secret> secretHeaders, TlsTrust tls)
    implements AutoCloseable {

  public Target {
    proxy = proxy == null ? Optional.empty() : proxy;
    secretHeaders =
        Collections.unmodifiableMap(
            new TreeMap<>(secretHeaders == null ? Map.of() : secretHeaders));
  }

  /** Checks the endpoint's and proxy's hosts against the policy. */
  public void checkPolicy(HostPolicy policy) {
    if (proxy.isPresent()) {
      // Through a proxy the function connects to the proxy, which reaches the endpoint.
      policy.check("proxy.host", proxy.get().host());
    } else {
      policy.check("endpoint.host", endpoint.host());
    }
  }

  public ProxySettings proxySettings() {
    return proxy
        .map(
            p ->
                p.type() == ProxyType.SOCKS5
                    ? ProxySettings.socks5(p.host(), p.port())
                    : ProxySettings.httpConnect(p.host(), p.port()))
        .orElse(null);
  }

  /** Client settings for these credentials, with timeouts that fit API Gateway's 30 s. */
  public ClientSettings.Builder settings(Duration readTimeout) {
    ClientSettings.Builder b =
        ClientSettings.builder(endpoint.apiBase())
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(readTimeout)
            .maxConcurrentRequests(8)
            .trust(ProxmoxClients.trust(tls));
    secretHeaders.forEach(b::header);
    ProxySettings p = proxySettings();
    if (p != null) {
      b.proxy(p);
    }
    return b;
  }

  /** A copy with other TLS trust (the secrets are shared, not copied). */
  public Target withTls(TlsTrust other) {
    return new Target(endpoint, proxy, secretHeaders, other);
  }

  @Override
  public void close() {
    secretHeaders.values().forEach(Secret::destroy);
  }
}
