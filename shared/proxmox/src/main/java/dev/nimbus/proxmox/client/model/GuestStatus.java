package dev.nimbus.proxmox.client.model;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET .../status/current} of a QEMU VM or LXC container. {@code cpus} may be a string;
 * {@code ha} is {@code {managed: 0|1, state?, group?}} ({@code group} disappears with PVE 9 HA
 * rules). Per-device counters (blockstat, nics...) stay in {@code raw}.
 */
public record GuestStatus(
    GuestType type,
    Integer vmid,
    String name,
    String status,
    String qmpstatus,
    Double cpu,
    Double cpus,
    Long mem,
    Long maxmem,
    Long disk,
    Long maxdisk,
    Long uptime,
    Long netin,
    Long netout,
    Long diskread,
    Long diskwrite,
    Long pid,
    boolean agent,
    boolean haManaged,
    String haState,
    String haGroup,
    String lock,
    boolean template,
    String runningQemu,
    String runningMachine,
    List<String> tags,
    JsonNode raw) {

  public static GuestStatus from(GuestType type, JsonNode n) {
    JsonNode ha = Lenient.field(n, "ha");
    return new GuestStatus(
        type,
        Lenient.intValue(n, "vmid"),
        Lenient.text(n, "name"),
        Lenient.text(n, "status"),
        Lenient.text(n, "qmpstatus"),
        Lenient.doubleValue(n, "cpu"),
        Lenient.doubleValue(n, "cpus"),
        Lenient.longValue(n, "mem"),
        Lenient.longValue(n, "maxmem"),
        Lenient.longValue(n, "disk"),
        Lenient.longValue(n, "maxdisk"),
        Lenient.longValue(n, "uptime"),
        Lenient.longValue(n, "netin"),
        Lenient.longValue(n, "netout"),
        Lenient.longValue(n, "diskread"),
        Lenient.longValue(n, "diskwrite"),
        Lenient.longValue(n, "pid"),
        Lenient.bool(n, "agent"),
        Lenient.bool(ha, "managed"),
        Lenient.text(ha, "state"),
        Lenient.text(ha, "group"),
        Lenient.text(n, "lock"),
        Lenient.bool(n, "template"),
        Lenient.text(n, "running-qemu"),
        Lenient.text(n, "running-machine"),
        Lenient.tags(Lenient.text(n, "tags")),
        n);
  }

  public boolean isRunning() {
    return "running".equals(status);
  }
}
