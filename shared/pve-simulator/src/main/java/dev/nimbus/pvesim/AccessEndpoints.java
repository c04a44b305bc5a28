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
    Map<String, Object> out = cluster.access.login(username, params.get("password"));
    if (out != null) {
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
}
