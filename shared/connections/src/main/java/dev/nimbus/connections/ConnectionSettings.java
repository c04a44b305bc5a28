package dev.nimbus.connections;

import dev.nimbus.model.DiscoveryScope;
import java.util.Optional;

/**
 * The non-secret part of a connection as a user enters it, for create and update. Values are not
 * checked here: {@link ConnectionValidator} reports every problem at once.
 *
 * @param schedule an EventBridge expression, see {@link Schedule}
 */
public record ConnectionSettings(
    String name,
    Endpoint endpoint,
    Optional<TunnelProxy> proxy,
    TlsTrust tls,
    String tokenId,
    DiscoveryScope scope,
    String schedule) {
  public ConnectionSettings {
    proxy = proxy == null ? Optional.empty() : proxy;
  }
}
