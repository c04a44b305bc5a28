package dev.nimbus.pvesim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One firewall rule as Proxmox stores it (cluster, node, guest, VNet and security-group level).
 * Null fields are left out of the API row.
 */
public record FirewallRule(
    String type,
    String action,
    String macro,
    String source,
    String dest,
    String proto,
    String dport,
    String iface,
    boolean enabled,
    String comment) {

  public static FirewallRule in(String action, String proto, String dport, String comment) {
    return new FirewallRule("in", action, null, null, null, proto, dport, null, true, comment);
  }

  public static FirewallRule macro(String type, String action, String macro, String source) {
    return new FirewallRule(type, action, macro, source, null, null, null, null, true, null);
  }

  public static FirewallRule group(String group) {
    return new FirewallRule("group", group, null, null, null, null, null, null, true, null);
  }

  Map<String, Object> toRow(int pos, String digest) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("pos", pos);
    row.put("type", type);
    row.put("action", action);
    row.put("enable", enabled ? 1 : 0);
    putIf(row, "macro", macro);
    putIf(row, "source", source);
    putIf(row, "dest", dest);
    putIf(row, "proto", proto);
    putIf(row, "dport", dport);
    putIf(row, "iface", iface);
    putIf(row, "comment", comment);
    if (proto != null || macro != null) {
      row.put("ipversion", source != null && source.contains(":") ? 6 : 4);
    }
    row.put("log", "nolog");
    row.put("digest", digest);
    return row;
  }

  private static void putIf(Map<String, Object> row, String key, String value) {
    if (value != null) {
      row.put(key, value);
    }
  }
}
