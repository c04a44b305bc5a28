package dev.nimbus.proxmox.client.model;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /access/permissions}: ACL path to privilege to "propagates to sub-paths". Used to tell
 * an operator which privileges a discovery token lacks before the first run.
 */
public record Permissions(Map<String, Map<String, Boolean>> byPath) {

  public static Permissions from(JsonNode n) {
    Map<String, Map<String, Boolean>> out = new LinkedHashMap<>();
    if (n != null && n.isObject()) {
      for (Map.Entry<String, JsonNode> path : n.properties()) {
        Map<String, Boolean> privs = new LinkedHashMap<>();
        if (path.getValue().isObject()) {
          for (Map.Entry<String, JsonNode> priv : path.getValue().properties()) {
            privs.put(priv.getKey(), Boolean.TRUE.equals(Lenient.toBool(priv.getValue())));
          }
        }
        out.put(path.getKey(), Map.copyOf(privs));
      }
    }
    return new Permissions(Map.copyOf(out));
  }

  /**
   * True when {@code privilege} is granted on {@code path} directly, or on a parent path with
   * propagation ({@code /vms/100} inherits from {@code /vms} and {@code /}).
   */
  public boolean has(String path, String privilege) {
    Map<String, Boolean> direct = byPath.get(path);
    if (direct != null && direct.containsKey(privilege)) {
      return true;
    }
    String p = path;
    while (!p.equals("/") && !p.isEmpty()) {
      int slash = p.lastIndexOf('/');
      p = slash <= 0 ? "/" : p.substring(0, slash);
      Map<String, Boolean> inherited = byPath.get(p);
      if (inherited != null && Boolean.TRUE.equals(inherited.get(privilege))) {
        return true;
      }
    }
    return false;
  }
}
