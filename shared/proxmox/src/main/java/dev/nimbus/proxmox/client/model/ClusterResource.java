package dev.nimbus.proxmox.client.model;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One row of the unfiltered {@code GET /cluster/resources}. {@code type} is one of node, qemu, lxc,
 * openvz, storage, pool, sdn or (PVE 9.1, pve-manager 9.0.12) network; fields that do not apply to
 * a type, or that a token may not see, are null. Unknown fields stay in {@code raw}. Counters
 * (netin, diskread...) are cumulative bytes since guest start; for qemu {@code disk} is always 0
 * and {@code maxdisk} is the first boot disk only.
 */
public record ClusterResource(
    String id,
    String type,
    String node,
    String status,
    String name,
    Integer vmid,
    String pool,
    List<String> tags,
    boolean template,
    String lock,
    String hastate,
    Double cpu,
    Double maxcpu,
    Long mem,
    Long maxmem,
    Long memhost,
    Long disk,
    Long maxdisk,
    Long uptime,
    Long netin,
    Long netout,
    Long diskread,
    Long diskwrite,
    String storage,
    String plugintype,
    List<String> content,
    Boolean shared,
    String sdn,
    String zoneType,
    String network,
    String networkType,
    String protocol,
    String level,
    Integer cgroupMode,
    JsonNode raw) {

  public static ClusterResource from(JsonNode n) {
    return new ClusterResource(
        Lenient.text(n, "id"),
        Lenient.text(n, "type"),
        Lenient.text(n, "node"),
        Lenient.text(n, "status"),
        Lenient.text(n, "name"),
        Lenient.intValue(n, "vmid"),
        Lenient.text(n, "pool"),
        Lenient.tags(Lenient.text(n, "tags")),
        Lenient.bool(n, "template"),
        Lenient.text(n, "lock"),
        Lenient.text(n, "hastate"),
        Lenient.doubleValue(n, "cpu"),
        Lenient.doubleValue(n, "maxcpu"),
        Lenient.longValue(n, "mem"),
        Lenient.longValue(n, "maxmem"),
        Lenient.longValue(n, "memhost"),
        Lenient.longValue(n, "disk"),
        Lenient.longValue(n, "maxdisk"),
        Lenient.longValue(n, "uptime"),
        Lenient.longValue(n, "netin"),
        Lenient.longValue(n, "netout"),
        Lenient.longValue(n, "diskread"),
        Lenient.longValue(n, "diskwrite"),
        Lenient.text(n, "storage"),
        Lenient.text(n, "plugintype"),
        Lenient.commaList(Lenient.text(n, "content")),
        Lenient.boolOrNull(n, "shared"),
        Lenient.text(n, "sdn"),
        Lenient.text(n, "zone-type"),
        Lenient.text(n, "network"),
        Lenient.text(n, "network-type"),
        Lenient.text(n, "protocol"),
        Lenient.text(n, "level"),
        Lenient.intValue(n, "cgroup-mode"),
        n);
  }

  /** True for qemu and lxc rows. */
  public boolean isGuest() {
    return "qemu".equals(type) || "lxc".equals(type);
  }
}
