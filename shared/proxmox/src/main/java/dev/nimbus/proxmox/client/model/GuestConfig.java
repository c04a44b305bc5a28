package dev.nimbus.proxmox.client.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A QEMU or LXC guest configuration ({@code GET .../config}) with the property strings parsed. QEMU
 * {@code memory} is {@code 4096} before PVE 8.1 and may be {@code current=4096} after; tags may be
 * separated by {@code ;}, {@code ,} or spaces; LXC raw {@code lxc.*} keys arrive as a list of
 * {@code [key, value]} pairs. {@code name} is the QEMU name or the LXC hostname. Everything else
 * stays in {@code raw}.
 */
public record GuestConfig(
    GuestType type,
    String name,
    Integer cores,
    Integer sockets,
    Integer vcpus,
    Double cpulimit,
    Long memoryMiB,
    Long balloonMiB,
    Long swapMiB,
    String ostype,
    String arch,
    List<String> tags,
    boolean template,
    boolean onboot,
    AgentSettings agent,
    String description,
    Map<String, NetDevice> nets,
    Map<String, DiskDevice> disks,
    Map<String, IpConfig> ipConfigs,
    DiskDevice rootfs,
    Map<String, DiskDevice> mountPoints,
    List<LxcKey> lxcKeys,
    String lock,
    String digest,
    JsonNode raw) {

  private static final Pattern QEMU_DISK =
      Pattern.compile("(ide|sata|scsi|virtio|unused)\\d+|efidisk0|tpmstate0");
  private static final Pattern NET = Pattern.compile("net\\d+");
  private static final Pattern IPCONFIG = Pattern.compile("ipconfig\\d+");
  private static final Pattern MOUNT_POINT = Pattern.compile("mp\\d+");
  private static final Pattern KEY_INDEX = Pattern.compile("([^\\d]*)(\\d*)");

  /** Orders {@code net2} before {@code net10}, {@code ide0} before {@code scsi0}. */
  static final Comparator<String> NATURAL =
      Comparator.comparing((String k) -> split(k).group(1))
          .thenComparingLong(
              k -> {
                String digits = split(k).group(2);
                return digits.isEmpty() ? -1 : Long.parseLong(digits);
              })
          .thenComparing(Comparator.naturalOrder());

  /** One raw LXC key as the {@code lxc} array carries it. */
  public record LxcKey(String key, String value) {}

  public static GuestConfig from(GuestType type, JsonNode n) {
    Map<String, NetDevice> nets = new TreeMap<>(NATURAL);
    Map<String, DiskDevice> disks = new TreeMap<>(NATURAL);
    Map<String, IpConfig> ipConfigs = new TreeMap<>(NATURAL);
    Map<String, DiskDevice> mountPoints = new TreeMap<>(NATURAL);
    if (n != null && n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        String key = e.getKey();
        if (!e.getValue().isString()) {
          continue;
        }
        String value = e.getValue().asString();
        if (NET.matcher(key).matches()) {
          nets.put(key, NetDevice.parse(value));
        } else if (type == GuestType.QEMU && QEMU_DISK.matcher(key).matches()) {
          disks.put(key, DiskDevice.parse(value));
        } else if (type == GuestType.QEMU && IPCONFIG.matcher(key).matches()) {
          ipConfigs.put(key, IpConfig.parse(value));
        } else if (type == GuestType.LXC && MOUNT_POINT.matcher(key).matches()) {
          mountPoints.put(key, DiskDevice.parse(value));
        }
      }
    }
    List<LxcKey> lxcKeys = new ArrayList<>();
    for (JsonNode pair : Lenient.array(n, "lxc")) {
      if (pair.isArray() && pair.size() >= 2) {
        lxcKeys.add(new LxcKey(pair.get(0).asString(), pair.get(1).asString()));
      }
    }
    String rootfs = Lenient.text(n, "rootfs");
    String agent = Lenient.text(n, "agent");
    String name = Lenient.text(n, type == GuestType.QEMU ? "name" : "hostname");
    return new GuestConfig(
        type,
        name,
        Lenient.intValue(n, "cores"),
        Lenient.intValue(n, "sockets"),
        Lenient.intValue(n, "vcpus"),
        Lenient.doubleValue(n, "cpulimit"),
        memory(Lenient.text(n, "memory")),
        Lenient.longValue(n, "balloon"),
        Lenient.longValue(n, "swap"),
        Lenient.text(n, "ostype"),
        Lenient.text(n, "arch"),
        Lenient.tags(Lenient.text(n, "tags")),
        Lenient.bool(n, "template"),
        Lenient.bool(n, "onboot"),
        agent == null ? null : AgentSettings.parse(agent),
        Lenient.text(n, "description"),
        Collections.unmodifiableMap(nets),
        Collections.unmodifiableMap(disks),
        Collections.unmodifiableMap(ipConfigs),
        rootfs == null ? null : DiskDevice.parse(rootfs),
        Collections.unmodifiableMap(mountPoints),
        List.copyOf(lxcKeys),
        Lenient.text(n, "lock"),
        Lenient.text(n, "digest"),
        n);
  }

  /**
   * Memory in MiB: {@code 4096} or, since PVE 8.1, the property string {@code current=4096} (PVE 9
   * may add more keys such as {@code virtio-mem}).
   */
  public static Long memory(String value) {
    if (value == null) {
      return null;
    }
    Long plain = Lenient.parseLong(value);
    if (plain != null) {
      return plain;
    }
    return Lenient.parseLong(PropertyString.parse(value, "current").get("current"));
  }

  /** Total configured size of the real disks (not CD drives, not unused volumes), in bytes. */
  public long diskBytes() {
    long total = 0;
    for (Map.Entry<String, DiskDevice> e : disks.entrySet()) {
      DiskDevice d = e.getValue();
      if (!d.isCdrom() && !e.getKey().startsWith("unused") && d.sizeBytes() != null) {
        total += d.sizeBytes();
      }
    }
    if (rootfs != null && rootfs.sizeBytes() != null) {
      total += rootfs.sizeBytes();
    }
    for (DiskDevice mp : mountPoints.values()) {
      if (mp.sizeBytes() != null) {
        total += mp.sizeBytes();
      }
    }
    return total;
  }

  private static Matcher split(String key) {
    Matcher m = KEY_INDEX.matcher(key);
    if (!m.matches()) {
      m = KEY_INDEX.matcher("");
      m.matches();
    }
    return m;
  }
}
