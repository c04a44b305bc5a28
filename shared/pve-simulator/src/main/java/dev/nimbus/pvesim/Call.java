package dev.nimbus.pvesim;

import java.util.Map;
import java.util.Set;

/** One API call being answered: who calls, which path variables and parameters it carries. */
final class Call {
  final Cluster cluster;
  final AccessControl.Principal principal;
  final String method;
  final String path;
  final Map<String, String> vars;
  final Map<String, String> params;

  Call(
      Cluster cluster,
      AccessControl.Principal principal,
      String method,
      String path,
      Map<String, String> vars,
      Map<String, String> params) {
    this.cluster = cluster;
    this.principal = principal;
    this.method = method;
    this.path = path;
    this.vars = vars;
    this.params = params;
  }

  String var(String name) {
    return vars.get(name);
  }

  String param(String name) {
    return params.get(name);
  }

  String param(String name, String fallback) {
    return params.getOrDefault(name, fallback);
  }

  boolean flag(String name) {
    String v = params.get(name);
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
  }

  int vmid() {
    try {
      return Integer.parseInt(var("vmid"));
    } catch (NumberFormatException e) {
      throw ApiException.parameter(
          "vmid", "type check ('integer') failed - got '" + var("vmid") + "'");
    }
  }

  /** The user tasks are logged with: the token id for token calls, like Proxmox. */
  String actor() {
    return principal.subject();
  }

  Set<String> privileges(String aclPath) {
    return cluster.access.privileges(principal, aclPath, cluster::poolOfPath);
  }

  boolean can(String aclPath, String privilege) {
    return privileges(aclPath).contains(privilege);
  }

  /** Requires all of the privileges on the path, else 403 naming the first one missing. */
  void require(String aclPath, String... privileges) {
    Set<String> have = privileges(aclPath);
    for (String p : privileges) {
      if (!have.contains(p)) {
        throw ApiException.permission(aclPath, p);
      }
    }
  }

  /** Requires any one of the privileges on the path, else 403 naming them all. */
  void requireAny(String aclPath, String... privileges) {
    Set<String> have = privileges(aclPath);
    for (String p : privileges) {
      if (have.contains(p)) {
        return;
      }
    }
    throw ApiException.permission(aclPath, String.join("|", privileges));
  }
}
