package dev.nimbus.proxmox.client.model;

import tools.jackson.databind.JsonNode;

/**
 * One row of {@code GET /cluster/status}: the cluster itself ({@code type=cluster}: quorate, node
 * count, config version) or one node ({@code type=node}: id, ip, online, local).
 */
public record ClusterStatusEntry(
    String type,
    String id,
    String name,
    Integer nodeid,
    String ip,
    boolean online,
    boolean local,
    String level,
    boolean quorate,
    Integer nodes,
    Integer version,
    JsonNode raw) {

  public static ClusterStatusEntry from(JsonNode n) {
    return new ClusterStatusEntry(
        Lenient.text(n, "type"),
        Lenient.text(n, "id"),
        Lenient.text(n, "name"),
        Lenient.intValue(n, "nodeid"),
        Lenient.text(n, "ip"),
        Lenient.bool(n, "online"),
        Lenient.bool(n, "local"),
        Lenient.text(n, "level"),
        Lenient.bool(n, "quorate"),
        Lenient.intValue(n, "nodes"),
        Lenient.intValue(n, "version"),
        n);
  }

  public boolean isCluster() {
    return "cluster".equals(type);
  }

  public boolean isNode() {
    return "node".equals(type);
  }
}
