package dev.nimbus.proxmox.client;

import dev.nimbus.model.Secret;
import java.util.Objects;

/**
 * How the client authenticates. Discovery uses an {@link ApiToken}; a ticket session (for the
 * wizard's one-time token creation) is created by {@link ProxmoxClient#login}.
 */
public sealed interface Credentials {

  /**
   * A Proxmox API token, sent as {@code Authorization: PVEAPIToken=user@realm!tokenid=secret}.
   *
   * @param tokenId the full token id {@code user@realm!tokenid}
   */
  record ApiToken(String tokenId, Secret secret) implements Credentials {
    public ApiToken {
      Objects.requireNonNull(tokenId, "tokenId");
      Objects.requireNonNull(secret, "secret");
      if (!tokenId.matches("[^@!=\\s]+@[^@!=\\s]+![A-Za-z][A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException("token id must look like user@realm!tokenid");
      }
    }

    @Override
    public String toString() {
      return "ApiToken[" + tokenId + "]";
    }
  }

  /** No credentials yet: only for {@link ProxmoxClient#login}. */
  record None() implements Credentials {}
}
