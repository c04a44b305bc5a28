package dev.nimbus.proxmox.client.model;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One row of {@code GET /nodes/{node}/qemu} or {@code /lxc}. {@code vmid} and {@code pid} may be
 * strings, {@code template} may be {@code ""}.
 */
public record GuestSummary(
    GuestType type,
    int vmid,
    String name,
    String status,
    boolean template,
    Double cpu,
    Double cpus,
    Long mem,
    Long maxmem,
    Long disk,
    Long maxdisk,
    Long uptime,
    List<String> tags,
    String lock,
    JsonNode raw) {

  public static GuestSummary from(GuestType type, JsonNode n) {
    Integer vmid = Lenient.intValue(n, "vmid");
    return new GuestSummary(
        type,
        vmid == null ? 0 : vmid,
        Lenient.text(n, "name"),
        Lenient.text(n, "status"),
        Lenient.bool(n, "template"),
        Lenient.doubleValue(n, "cpu"),
        Lenient.doubleValue(n, "cpus"),
        Lenient.longValue(n, "mem"),
        Lenient.longValue(n, "maxmem"),
        Lenient.longValue(n, "disk"),
        Lenient.longValue(n, "maxdisk"),
        Lenient.longValue(n, "uptime"),
        Lenient.tags(Lenient.text(n, "tags")),
        Lenient.text(n, "lock"),
        n);
  }
}
