package dev.nimbus.connections;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A connection ready for one discovery or probe: settings plus its secrets decrypted, in memory
 * only. Use it in try-with-resources; {@link #close()} destroys every secret. Its {@code toString}
 * and JSON form show no secret ({@link Secret} hides itself).
 */
public record ResolvedConnection(
    ConnectionRef ref,
    Endpoint endpoint,
    Optional<TunnelProxy> proxy,
    TlsTrust tls,
    String tokenId,
    Secret tokenSecret,
    Map<String, Secret> secretHeaders,
    DiscoveryScope scope)
    implements AutoCloseable {

  public ResolvedConnection {
    secretHeaders = Collections.unmodifiableMap(new TreeMap<>(secretHeaders));
  }

  /**
   * The value of the Proxmox {@code Authorization} header, {@code PVEAPIToken=user@realm!name=
   * secret}, as a new {@link Secret} (this one's token secret stays usable).
   */
  public Secret authorizationHeader() {
    return Secret.of("PVEAPIToken=" + tokenId + "=" + tokenSecret.reveal());
  }

  /** Destroys the token secret and every header value. */
  @Override
  public void close() {
    tokenSecret.destroy();
    secretHeaders.values().forEach(Secret::destroy);
  }
}
