package dev.nimbus.connections;

import dev.nimbus.model.Secret;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The input of "create a connection": its id, its settings, and the secrets in plain form, held as
 * {@link Secret}s until they are encrypted. Secret header values (for example a Cloudflare Access
 * service token's {@code CF-Access-Client-Secret}) are sent with every Proxmox request.
 */
public record ConnectionDraft(
    String connectionId,
    ConnectionSettings settings,
    Secret tokenSecret,
    Map<String, Secret> secretHeaders) {
  public ConnectionDraft {
    secretHeaders =
        secretHeaders == null
            ? Map.of()
            : Collections.unmodifiableMap(new TreeMap<>(secretHeaders));
  }
}
