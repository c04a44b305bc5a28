package dev.nimbus.proxmox.client.model;

import java.util.Map;
import java.util.Set;

/**
 * The QEMU {@code agent} option: {@code 1}, {@code 1,fstrim_cloned_disks=1}, {@code
 * enabled=1,type=virtio}. The first value is the positional {@code enabled} flag.
 */
public record AgentSettings(
    boolean enabled,
    String type,
    boolean fstrimClonedDisks,
    Boolean freezeFsOnBackup,
    Map<String, String> unknown,
    PropertyString source) {

  private static final Set<String> KNOWN =
      Set.of("enabled", "type", "fstrim_cloned_disks", "freeze-fs-on-backup");

  public static AgentSettings parse(String text) {
    PropertyString ps = PropertyString.parse(text, "enabled");
    return new AgentSettings(
        Boolean.TRUE.equals(Lenient.parseBool(ps.get("enabled"))),
        ps.get("type"),
        Boolean.TRUE.equals(Lenient.parseBool(ps.get("fstrim_cloned_disks"))),
        Lenient.parseBool(ps.get("freeze-fs-on-backup")),
        ps.without(KNOWN),
        ps);
  }

  public String format() {
    return source.format();
  }
}
