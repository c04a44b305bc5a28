package dev.nimbus.proxmox.client.model;

import dev.nimbus.model.Secret;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** API token records of {@code /access/users/{userid}/token}. */
public final class ApiTokens {
  private ApiTokens() {}

  /**
   * A token as listed: {@code expire} null or 0 means no expiry; {@code privsep} (default true)
   * means the token has its own ACLs rather than all of the user's rights.
   */
  public record TokenInfo(String tokenid, String comment, Instant expire, boolean privsep) {
    public static TokenInfo from(JsonNode n, String tokenid) {
      Long expire = Lenient.longValue(n, "expire");
      Boolean privsep = Lenient.boolOrNull(n, "privsep");
      String id = Lenient.text(n, "tokenid");
      return new TokenInfo(
          id != null ? id : tokenid,
          Lenient.text(n, "comment"),
          expire == null || expire == 0 ? null : Instant.ofEpochSecond(expire),
          privsep == null || privsep);
    }
  }

  /**
   * A newly created token. Proxmox shows {@code value} exactly once; it is held as a {@link Secret}
   * so it never reaches a log or a toString.
   */
  public record CreatedToken(String fullTokenId, Secret value, TokenInfo info) {
    public static CreatedToken from(JsonNode n, String tokenid) {
      String value = Lenient.text(n, "value");
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("token answer carries no value");
      }
      return new CreatedToken(
          Lenient.text(n, "full-tokenid"),
          Secret.of(value),
          TokenInfo.from(Lenient.field(n, "info"), tokenid));
    }
  }
}
