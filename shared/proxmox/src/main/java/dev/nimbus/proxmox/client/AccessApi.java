package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.ProxmoxClient.seg;

import dev.nimbus.proxmox.client.model.ApiTokens;
import dev.nimbus.proxmox.client.model.Permissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Effective permissions and API token management, {@code /access/...}. */
public final class AccessApi {
  private final ProxmoxClient client;

  AccessApi(ProxmoxClient client) {
    this.client = client;
  }

  /** {@code GET /access/permissions}: the caller's effective privileges by ACL path. */
  public Permissions permissions() {
    return Permissions.from(client.getObject("/access/permissions", Map.of()));
  }

  /** The effective privileges of another user or token (needs Sys.Audit on /access). */
  public Permissions permissionsOf(String userOrTokenId) {
    return Permissions.from(
        client.getObject("/access/permissions", Map.of("userid", userOrTokenId)));
  }

  /** {@code GET /access/users/{userid}/token}. */
  public List<ApiTokens.TokenInfo> tokens(String userid) {
    return client.getList(
        "/access/users/" + seg(userid) + "/token",
        Map.of(),
        n -> ApiTokens.TokenInfo.from(n, null));
  }

  /**
   * {@code POST /access/users/{userid}/token/{tokenid}}. The returned value is shown once by
   * Proxmox; store it (encrypted) straight away.
   *
   * @param privsep true to give the token its own ACLs (recommended for discovery)
   * @param expire expiry, or null for "same as user"
   */
  public ApiTokens.CreatedToken createToken(
      String userid, String tokenid, String comment, boolean privsep, Instant expire) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("privsep", privsep ? "1" : "0");
    if (comment != null) {
      form.put("comment", comment);
    }
    if (expire != null) {
      form.put("expire", Long.toString(expire.getEpochSecond()));
    }
    return ApiTokens.CreatedToken.from(client.post(tokenPath(userid, tokenid), form), tokenid);
  }

  /** {@code DELETE /access/users/{userid}/token/{tokenid}}. */
  public void deleteToken(String userid, String tokenid) {
    client.delete(tokenPath(userid, tokenid), Map.of());
  }

  private static String tokenPath(String userid, String tokenid) {
    return "/access/users/" + seg(userid) + "/token/" + seg(tokenid);
  }
}
