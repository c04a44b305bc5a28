package dev.nimbus.wizard;

import dev.nimbus.model.Secret;
import java.util.Objects;

/**
 * The token a wizard step uses: one the user pasted (id and secret), or the one the wizard minted
 * for this connection and keeps encrypted until the connection is saved.
 */
public sealed interface Credentials extends AutoCloseable {
  /** An existing API token. */
  record Token(String tokenId, Secret secret) implements Credentials {
    public Token {
      Objects.requireNonNull(tokenId, "tokenId");
      Objects.requireNonNull(secret, "secret");
    }

    @Override
    public void close() {
      secret.destroy();
    }
  }

  /** The token minted for the connection id this request names. */
  record Minted() implements Credentials {
    @Override
    public void close() {}
  }

  @Override
  void close();
}
