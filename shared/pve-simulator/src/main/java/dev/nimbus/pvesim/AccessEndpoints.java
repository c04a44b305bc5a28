package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Access endpoints: login tickets, effective permissions and API tokens. */
final class AccessEndpoints {
  private final Cluster cluster;

  AccessEndpoints(Cluster cluster) {
    this.cluster = cluster;
  }

  void register(Router r) {
    // /access/ticket is answered by ApiHandler before authentication; registered so it routes.
    r.get("/access/ticket", c -> null);
    r.add("POST", "/access/ticket", c -> null);
    r.get("/access/permissions", c -> cluster.read(() -> permissions(c)));
    r.get("/access/users/{userid}/token", c -> listTokens(c));
    r.get("/access/users/{userid}/token/{tokenid}", c -> readToken(c));
    r.add("POST", "/access/users/{userid}/token/{tokenid}", c -> createToken(c));
    r.add("DELETE", "/access/users/{userid}/token/{tokenid}", c -> deleteToken(c));
    r.get("/access/users", c -> listUsers(c));
    r.add("POST", "/access/users", c -> createUser(c));
    r.get("/access/roles", c -> listRoles(c));
    r.add("POST", "/access/roles", c -> createRole(c));
    r.get("/access/roles/{roleid}", c -> readRole(c));
    r.add("PUT", "/access/roles/{roleid}", c -> updateRole(c));
    r.get("/access/acl", c -> listAcl(c));
    r.add("PUT", "/access/acl", c -> updateAcl(c));
  }

  /** POST /access/ticket: form username/password (or an old ticket as password to renew). */
  static Object login(Cluster cluster, Map<String, String> params) {
    String username = params.get("username");
    if (username == null) {
      throw ApiException.parameter("username", "property is missing and it is not optional");
    }
    if (params.get("realm") != null && !username.contains("@")) {
      username = username + "@" + params.get("realm");
    }
    Map<String, Object> out =
        params.get("tfa-challenge") != null
            ? cluster.access.answerChallenge(
                username, params.get("tfa-challenge"), params.get("password"))
            : cluster.access.login(username, params.get("password"));
    if (out != null && !out.containsKey("NeedTFA")) {
      if (!cluster.standalone) {
        // Only a cluster member names its cluster in the login answer.
        out.put("clustername", cluster.name);
      }
      out.put("cap", Map.of());
    }
    return out;
  }

  private Object permissions(Call c) {
    AccessControl.Principal who = c.principal;
    String userid = c.param("userid");
    if (userid != null && !userid.equals(c.principal.subject())) {
      c.require("/access", "Sys.Audit");
      if (userid.contains("!")) {
        String[] parts = userid.split("!", 2);
        AccessControl.Token t = cluster.access.token(parts[0], parts[1]);
        if (t == null) {
          throw new ApiException(
              500, "no such token '" + parts[1] + "' for user '" + parts[0] + "'");
        }
        who = new AccessControl.Principal(parts[0], t, null);
      } else {
        who = new AccessControl.Principal(userid, null, null);
      }
    }
    Set<String> paths =
        c.param("path") != null ? Set.of(c.param("path")) : cluster.access.permissionPaths();
    Map<String, Object> out = new LinkedHashMap<>();
    for (String path : paths) {
      Set<String> privs = cluster.access.privileges(who, path, cluster::poolOfPath);
      if (privs.isEmpty() && c.param("path") == null) {
        continue;
      }
      Map<String, Object> map = new java.util.TreeMap<>();
      privs.forEach(p -> map.put(p, 1));
      out.put(path, map);
    }
    return out;
  }

  private void requireSelfOrUserModify(Call c) {
    String userid = c.var("userid");
    if (!userid.equals(c.principal.userid()) && !c.can("/access/groups", "User.Modify")) {
      throw ApiException.permission("/access/groups", "User.Modify");
    }
    if (!cluster.access.hasUser(userid)) {
      throw new ApiException(500, "no such user ('" + userid + "')");
    }
  }

  private Object listTokens(Call c) {
    requireSelfOrUserModify(c);
    List<Object> out = new ArrayList<>();
    for (AccessControl.Token t : cluster.access.tokensOf(c.var("userid"))) {
      Map<String, Object> row = tokenInfo(t);
      row.put("tokenid", t.tokenid());
      out.add(row);
    }
    return out;
  }

  private static Map<String, Object> tokenInfo(AccessControl.Token t) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("privsep", t.privsep() ? 1 : 0);
    row.put("expire", t.expire());
    if (t.comment() != null) {
      row.put("comment", t.comment());
    }
    return row;
  }

  private Object readToken(Call c) {
    requireSelfOrUserModify(c);
    AccessControl.Token t = cluster.access.token(c.var("userid"), c.var("tokenid"));
    if (t == null) {
      throw new ApiException(
          500, "no such token '" + c.var("tokenid") + "' for user '" + c.var("userid") + "'");
    }
    return tokenInfo(t);
  }

  private Object createToken(Call c) {
    requireSelfOrUserModify(c);
    String userid = c.var("userid");
    String tokenid = c.var("tokenid");
    boolean privsep = c.param("privsep") == null || c.flag("privsep");
    String secret = cluster.access.createToken(userid, tokenid, privsep, c.param("comment"));
    AccessControl.Token t = cluster.access.token(userid, tokenid);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("full-tokenid", t.fullId());
    out.put("info", tokenInfo(t));
    // The secret is shown once, here, and never again.
    out.put("value", secret);
    return out;
  }

  private Object deleteToken(Call c) {
    requireSelfOrUserModify(c);
    if (!cluster.access.deleteToken(c.var("userid"), c.var("tokenid"))) {
      throw new ApiException(
          500, "no such token '" + c.var("tokenid") + "' for user '" + c.var("userid") + "'");
    }
    return null;
  }

  // GET /access/users: users the caller may administer (User.Modify or Sys.Audit on
  // /access/groups), always including the caller.
  private Object listUsers(Call c) {
    boolean all = c.can("/access/groups", "User.Modify") || c.can("/access/groups", "Sys.Audit");
    List<Object> out = new ArrayList<>();
    for (AccessControl.UserInfo u : cluster.access.users()) {
      if (!all && !u.userid().equals(c.principal.userid())) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("userid", u.userid());
      row.put("enable", 1);
      row.put("expire", 0);
      if (u.comment() != null) {
        row.put("comment", u.comment());
      }
      out.add(row);
    }
    return out;
  }

  // POST /access/users: needs Realm.AllocateUser on the user's realm.
  private Object createUser(Call c) {
    String userid = c.param("userid");
    if (userid == null || !userid.matches("[^\\s:/@!]+@[A-Za-z][A-Za-z0-9._-]+")) {
      throw ApiException.parameter("userid", "value does not match the regex pattern");
    }
    String realm = userid.substring(userid.indexOf('@') + 1);
    c.require("/access/realm/" + realm, "Realm.AllocateUser");
    if (!cluster.access.createUser(userid, c.param("comment"))) {
      throw new ApiException(500, "create user failed: user '" + userid + "' already exists");
    }
    return null;
  }

  private Object listRoles(Call c) {
    List<Object> out = new ArrayList<>();
    for (Map.Entry<String, Set<String>> role : cluster.access.rolesView().entrySet()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("roleid", role.getKey());
      row.put("privs", String.join(",", new java.util.TreeSet<>(role.getValue())));
      row.put("special", cluster.access.isBuiltInRole(role.getKey()) ? 1 : 0);
      out.add(row);
    }
    return out;
  }

  private Object readRole(Call c) {
    Set<String> privs = cluster.access.role(c.var("roleid"));
    if (privs == null) {
      throw new ApiException(500, "role '" + c.var("roleid") + "' does not exist");
    }
    Map<String, Object> out = new java.util.TreeMap<>();
    privs.forEach(p -> out.put(p, 1));
    return out;
  }

  // POST /access/roles: needs Sys.Modify on /access.
  private Object createRole(Call c) {
    c.require("/access", "Sys.Modify");
    String roleid = c.param("roleid");
    if (roleid == null || !roleid.matches("[A-Za-z0-9.\\-_]+")) {
      throw ApiException.parameter("roleid", "value does not match the regex pattern");
    }
    if (cluster.access.role(roleid) != null) {
      throw new ApiException(500, "role '" + roleid + "' already exists");
    }
    cluster.access.putRole(roleid, privileges(c.param("privs", "")));
    return null;
  }

  // PUT /access/roles/{roleid}: needs Sys.Modify on /access; predefined roles stay as they are.
  private Object updateRole(Call c) {
    c.require("/access", "Sys.Modify");
    String roleid = c.var("roleid");
    Set<String> current = cluster.access.role(roleid);
    if (current == null) {
      throw new ApiException(500, "role '" + roleid + "' does not exist");
    }
    if (cluster.access.isBuiltInRole(roleid)) {
      throw new ApiException(500, "cannot modify predefined role '" + roleid + "'");
    }
    Set<String> privs = new java.util.TreeSet<>(privileges(c.param("privs", "")));
    if (c.flag("append")) {
      privs.addAll(current);
    }
    cluster.access.putRole(roleid, privs);
    return null;
  }

  private Set<String> privileges(String list) {
    Set<String> out = new java.util.TreeSet<>();
    for (String p : list.split("[,;\\s]+")) {
      if (p.isEmpty()) {
        continue;
      }
      if (!cluster.access.allPrivileges().contains(p)) {
        throw ApiException.parameter("privs", "invalid format - invalid privilege '" + p + "'");
      }
      out.add(p);
    }
    return out;
  }

  // GET /access/acl: the entries on paths where the caller has Sys.Audit or Permissions.Modify.
  private Object listAcl(Call c) {
    List<Object> out = new ArrayList<>();
    for (Acl acl : cluster.access.acls()) {
      if (!c.can(acl.path(), "Sys.Audit") && !c.can(acl.path(), "Permissions.Modify")) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("path", acl.path());
      row.put("type", acl.subject().contains("!") ? "token" : "user");
      row.put("ugid", acl.subject());
      row.put("roleid", acl.role());
      row.put("propagate", acl.propagate() ? 1 : 0);
      out.add(row);
    }
    return out;
  }

  // PUT /access/acl: needs Permissions.Modify on the path.
  private Object updateAcl(Call c) {
    String path = c.param("path");
    if (path == null || !path.startsWith("/")) {
      throw ApiException.parameter("path", "property is missing and it is not optional");
    }
    String roles = c.param("roles");
    if (roles == null || roles.isBlank()) {
      throw ApiException.parameter("roles", "property is missing and it is not optional");
    }
    c.require(path, "Permissions.Modify");
    boolean delete = c.flag("delete");
    boolean propagate = c.param("propagate") == null || c.flag("propagate");
    List<String> subjects = new ArrayList<>();
    for (String u : c.param("users", "").split("[,;\\s]+")) {
      if (!u.isEmpty()) {
        if (!cluster.access.hasUser(u)) {
          throw new ApiException(500, "user '" + u + "' does not exist");
        }
        subjects.add(u);
      }
    }
    for (String t : c.param("tokens", "").split("[,;\\s]+")) {
      if (!t.isEmpty()) {
        String[] parts = t.split("!", 2);
        if (parts.length != 2 || cluster.access.token(parts[0], parts[1]) == null) {
          throw new ApiException(500, "token '" + t + "' does not exist");
        }
        subjects.add(t);
      }
    }
    for (String role : roles.split("[,;\\s]+")) {
      if (role.isEmpty()) {
        continue;
      }
      if (cluster.access.role(role) == null) {
        throw new ApiException(500, "role '" + role + "' does not exist");
      }
      for (String subject : subjects) {
        Acl acl = new Acl(path, subject, role, propagate);
        if (delete) {
          cluster.access.removeAcl(acl);
        } else {
          cluster.access.addAcl(acl);
        }
      }
    }
    return null;
  }
}
