package dev.nimbus.proxmox.provider;

import dev.nimbus.proxmox.client.model.DiskDevice;
import dev.nimbus.proxmox.client.model.GuestConfig;
import dev.nimbus.proxmox.client.model.NetDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Finds values in a guest config that the client's lenient parser accepted but that cannot be
 * right: a memory or CPU count that is not a number, a NIC without model or bridge, a disk without
 * a volume. Such a config is reported for that guest instead of being recorded as a change.
 */
final class GuestConfigCheck {
  private GuestConfigCheck() {}

  static List<String> problems(GuestConfig config) {
    return problems(config, true);
  }

  /**
   * @param fromConfigCall the config came from {@code GET .../config}, whose answer always carries
   *     the file's {@code digest}: one without it (an empty object from a broken proxy) is not a
   *     config, and taking it as one would blank the guest
   */
  static List<String> problems(GuestConfig config, boolean fromConfigCall) {
    List<String> out = new ArrayList<>();
    JsonNode raw = config.raw();
    if (raw == null || !raw.isObject() || raw.isEmpty()) {
      out.add("the answer holds no config at all");
      return out;
    }
    if (fromConfigCall && (config.digest() == null || config.digest().isBlank())) {
      out.add("the answer has no digest, so it is not a config Proxmox wrote");
    }
    checkNumber(out, raw, "memory", config.memoryMiB());
    checkNumber(out, raw, "cores", config.cores());
    checkNumber(out, raw, "sockets", config.sockets());
    for (Map.Entry<String, NetDevice> e : config.nets().entrySet()) {
      NetDevice n = e.getValue();
      boolean qemuNic = config.type() == dev.nimbus.proxmox.client.model.GuestType.QEMU;
      if (qemuNic && n.model() == null) {
        out.add(e.getKey() + " has no NIC model: '" + text(raw, e.getKey()) + "'");
      }
      if (!qemuNic && n.name() == null) {
        out.add(e.getKey() + " has no interface name: '" + text(raw, e.getKey()) + "'");
      }
    }
    for (Map.Entry<String, DiskDevice> e : config.disks().entrySet()) {
      if (e.getValue().volume() == null || e.getValue().volume().isBlank()) {
        out.add(e.getKey() + " has no volume: '" + text(raw, e.getKey()) + "'");
      }
    }
    return out;
  }

  private static void checkNumber(List<String> out, JsonNode raw, String key, Object parsed) {
    String text = text(raw, key);
    if (text != null && parsed == null) {
      out.add(key + " is not a number: '" + text + "'");
    }
  }

  private static String text(JsonNode raw, String key) {
    if (raw == null || !raw.has(key) || raw.get(key).isNull()) {
      return null;
    }
    String s = raw.get(key).asString();
    // Only memory, CPU, NIC and disk values are quoted here; long ones are cut for the report.
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
