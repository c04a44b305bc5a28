package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.ProxmoxClient.seg;

import dev.nimbus.proxmox.client.model.ApiTokens;
import dev.nimbus.proxmox.client.model.Lenient;
import dev.nimbus.proxmox.client.model.Permissions;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Effective permissions, users, roles, ACLs and API tokens, {@code /access/...}. */
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

  /** A user as {@code GET /access/users} lists it. */
  public record UserInfo(String userid, String comment) {}

  /** A role: its id, privileges, and whether Proxmox ships it (predefined roles are read-only). */
  public record RoleInfo(String roleid, Set<String> privileges, boolean special) {}

  /** One ACL entry: on {@code path}, {@code ugid} (of {@code type} user, group or token). */
  public record AclEntry(String path, String type, String ugid, String roleid, boolean propagate) {}

  /** {@code GET /access/users}: the users the caller may see (always including itself). */
  public List<UserInfo> users() {
    return client.getList(
        "/access/users",
        Map.of(),
        n -> new UserInfo(Lenient.text(n, "userid"), Lenient.text(n, "comment")));
  }

  /** {@code POST /access/users}: a user without password (it authenticates with its tokens). */
  public void createUser(String userid, String comment) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("userid", userid);
    if (comment != null) {
      form.put("comment", comment);
    }
    client.post("/access/users", form);
  }

  /** {@code GET /access/roles}. */
  public List<RoleInfo> roles() {
    return client.getList(
        "/access/roles",
        Map.of(),
        n ->
            new RoleInfo(
                Lenient.text(n, "roleid"),
                privilegeSet(Lenient.text(n, "privs")),
                Boolean.TRUE.equals(Lenient.boolOrNull(n, "special"))));
  }

  /** {@code POST /access/roles}. */
  public void createRole(String roleid, Collection<String> privileges) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("roleid", roleid);
    form.put("privs", String.join(",", new TreeSet<>(privileges)));
    client.post("/access/roles", form);
  }

  /** {@code PUT /access/roles/{roleid}}: sets exactly these privileges (no append). */
  public void setRolePrivileges(String roleid, Collection<String> privileges) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("privs", String.join(",", new TreeSet<>(privileges)));
    form.put("append", "0");
    client.put("/access/roles/" + seg(roleid), form);
  }

  /** {@code GET /access/acl}: the entries on paths the caller may audit. */
  public List<AclEntry> acl() {
    return client.getList(
        "/access/acl",
        Map.of(),
        n ->
            new AclEntry(
                Lenient.text(n, "path"),
                Lenient.text(n, "type"),
                Lenient.text(n, "ugid"),
                Lenient.text(n, "roleid"),
                !Boolean.FALSE.equals(Lenient.boolOrNull(n, "propagate"))));
  }

  /**
   * {@code PUT /access/acl}: grants {@code roleid} on {@code path} (propagating) to the given users
   * and API tokens ({@code user@realm!name}).
   */
  public void grant(String path, String roleid, List<String> users, List<String> tokens) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("path", path);
    form.put("roles", roleid);
    if (!users.isEmpty()) {
      form.put("users", String.join(",", users));
    }
    if (!tokens.isEmpty()) {
      form.put("tokens", String.join(",", tokens));
    }
    form.put("propagate", "1");
    client.put("/access/acl", form);
  }

  private static Set<String> privilegeSet(String privs) {
    Set<String> out = new TreeSet<>();
    if (privs != null) {
      for (String p : privs.split("[,;\\s]+")) {
        if (!p.isEmpty()) {
          out.add(p);
        }
      }
    }
    return Set.copyOf(out);
  }

  private static String tokenPath(String userid, String tokenid) {
    return "/access/users/" + seg(userid) + "/token/" + seg(tokenid);
  }
}
