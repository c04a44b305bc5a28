package dev.nimbus.proxmox.client.model;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /nodes/{node}/status}. {@code loadavg} arrives as strings; {@code pveversion} looks
 * like {@code pve-manager/7.4-16/0f39f621}.
 */
public record NodeStatus(
    String pveversion,
    ProxmoxVersion version,
    String kversion,
    Double cpu,
    String cpuModel,
    Integer cpuSockets,
    Integer cpuCores,
    Integer cpus,
    Long memoryTotal,
    Long memoryUsed,
    Long memoryFree,
    Long rootfsTotal,
    Long rootfsUsed,
    Long swapTotal,
    Long swapUsed,
    Long uptime,
    List<Double> loadavg,
    JsonNode raw) {

  public static NodeStatus from(JsonNode n) {
    String pveversion = Lenient.text(n, "pveversion");
    ProxmoxVersion version = null;
    if (pveversion != null) {
      try {
        version = ProxmoxVersion.parse(pveversion);
      } catch (IllegalArgumentException e) {
        version = null;
      }
    }
    JsonNode cpuinfo = Lenient.field(n, "cpuinfo");
    JsonNode memory = Lenient.field(n, "memory");
    JsonNode rootfs = Lenient.field(n, "rootfs");
    JsonNode swap = Lenient.field(n, "swap");
    List<Double> load = new ArrayList<>();
    for (JsonNode v : Lenient.array(n, "loadavg")) {
      Double d = Lenient.toDouble(v);
      if (d != null) {
        load.add(d);
      }
    }
    return new NodeStatus(
        pveversion,
        version,
        Lenient.text(n, "kversion"),
        Lenient.doubleValue(n, "cpu"),
        Lenient.text(cpuinfo, "model"),
        Lenient.intValue(cpuinfo, "sockets"),
        Lenient.intValue(cpuinfo, "cores"),
        Lenient.intValue(cpuinfo, "cpus"),
        Lenient.longValue(memory, "total"),
        Lenient.longValue(memory, "used"),
        Lenient.longValue(memory, "free"),
        Lenient.longValue(rootfs, "total"),
        Lenient.longValue(rootfs, "used"),
        Lenient.longValue(swap, "total"),
        Lenient.longValue(swap, "used"),
        Lenient.longValue(n, "uptime"),
        List.copyOf(load),
        n);
  }
}
