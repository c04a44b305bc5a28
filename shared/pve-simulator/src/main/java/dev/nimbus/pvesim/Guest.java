package dev.nimbus.pvesim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A simulated QEMU VM or LXC container. The config is held as Proxmox writes it (key to
 * property-string value); everything else the API shows (maxmem, maxdisk, digest) is derived from
 * it on demand. Mutated only under the cluster's write lock.
 */
public final class Guest {
  private final int vmid;
  private final GuestType type;
  String node;
  final Map<String, String> config = new LinkedHashMap<>();
  final Map<String, String> pending = new LinkedHashMap<>();
  final Set<String> pendingDelete = new LinkedHashSet<>();
  boolean running;
  long startedAt;

  /**
   * The run before the current one, {@code [previousStart, previousEnd)}: the metrics buffer still
   * holds generations from it after a restart or a migration ({@code previousStart} -1: none).
   */
  long previousStart = -1;

  long previousEnd = -1;
  String pool;
  String haState;
  boolean agentRunning;
  List<FirewallRule> firewallRules = List.of();
  Map<String, Object> firewallOptions = Map.of();

  Guest(int vmid, GuestType type, String node) {
    this.vmid = vmid;
    this.type = type;
    this.node = node;
  }

  public int vmid() {
    return vmid;
  }

  public GuestType type() {
    return type;
  }

  public String node() {
    return node;
  }

  /** The guest's name: qemu {@code name}, LXC {@code hostname}. */
  public String name() {
    return config.getOrDefault(type == GuestType.QEMU ? "name" : "hostname", "");
  }

  public boolean running() {
    return running;
  }

  /**
   * When the process that ran at {@code t} started (its counters count from there), or -1 when the
   * guest was not running at {@code t}.
   */
  long runningSince(long t) {
    if (running && t >= startedAt) {
      return startedAt;
    }
    if (previousStart >= 0 && t >= previousStart && t < previousEnd) {
      return previousStart;
    }
    return -1;
  }

  /**
   * A new process from {@code now} (start, reboot, migration), or none when {@code nowRunning} is
   * false; the run that ends keeps answering for the times it covered.
   */
  void restart(long now, boolean nowRunning) {
    if (running) {
      previousStart = startedAt;
      previousEnd = now;
    }
    running = nowRunning;
    startedAt = now;
  }

  public boolean template() {
    return "1".equals(config.get("template"));
  }

  /** The pool the guest belongs to, or null. */
  public String pool() {
    return pool;
  }

  /** A copy of the current config (without pending changes). */
  public Map<String, String> config() {
    return new LinkedHashMap<>(config);
  }

  /** The config with pending changes applied, as {@code GET .../config} returns it by default. */
  Map<String, String> configWithPending() {
    if (pending.isEmpty() && pendingDelete.isEmpty()) {
      return config;
    }
    Map<String, String> out = new LinkedHashMap<>(config);
    out.putAll(pending);
    pendingDelete.forEach(out::remove);
    return out;
  }

  /**
   * The config file text as pmxcfs stores it: description as comment lines first, then keys in
   * sorted order; pending changes in a {@code [PENDING]} section.
   */
  String configFileText() {
    StringBuilder sb = new StringBuilder();
    String description = config.get("description");
    if (description != null) {
      for (String line : description.split("\n", -1)) {
        sb.append('#').append(line).append('\n');
      }
    }
    appendSorted(sb, config);
    if (!pending.isEmpty() || !pendingDelete.isEmpty()) {
      sb.append("\n[PENDING]\n");
      appendSorted(sb, pending);
      if (!pendingDelete.isEmpty()) {
        sb.append("delete: ").append(String.join(",", pendingDelete)).append('\n');
      }
    }
    return sb.toString();
  }

  private static void appendSorted(StringBuilder sb, Map<String, String> map) {
    for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
      if (!e.getKey().equals("description")) {
        sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      }
    }
  }

  /** SHA-1 of the config file, as Proxmox returns it in {@code digest}. */
  public String digest() {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return HexFormat.of()
          .formatHex(sha1.digest(configFileText().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Configured memory in bytes (qemu {@code memory} default 512 MiB, LXC default 512 MiB). */
  long maxmem() {
    return PropertyStrings.memoryMiB(config.get("memory"), 512) << 20;
  }

  long maxswap() {
    return type == GuestType.LXC
        ? PropertyStrings.memoryMiB(config.getOrDefault("swap", "512"), 512) << 20
        : 0;
  }

  int cpus() {
    if (type == GuestType.LXC) {
      return parseInt(config.get("cores"), 1);
    }
    return parseInt(config.get("cores"), 1) * parseInt(config.get("sockets"), 1);
  }

  /**
   * qemu: configured size of the first non-CD boot disk (Proxmox quirk: not the sum of disks); LXC:
   * the rootfs size.
   */
  long maxdisk() {
    if (type == GuestType.LXC) {
      return PropertyStrings.parseSize(
          PropertyStrings.parse(config.get("rootfs"), "volume").get("size"));
    }
    for (String bus : List.of("scsi", "virtio", "sata", "ide")) {
      for (int i = 0; i < 31; i++) {
        String value = config.get(bus + i);
        if (value != null && !value.contains("media=cdrom")) {
          return PropertyStrings.parseSize(PropertyStrings.parse(value, "volume").get("size"));
        }
      }
    }
    return 0;
  }

  boolean agentEnabled() {
    String agent = config.get("agent");
    if (agent == null) {
      return false;
    }
    Map<String, String> p = PropertyStrings.parse(agent, "enabled");
    return "1".equals(p.get("enabled"));
  }

  /** The MAC addresses of the guest's network devices, by device key (net0, net1, ...). */
  Map<String, String> macs() {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : config.entrySet()) {
      if (e.getKey().matches("net\\d+")) {
        Map<String, String> p = PropertyStrings.parse(e.getValue(), "model");
        String mac = p.get("hwaddr");
        if (mac == null) {
          for (String model : List.of("virtio", "e1000", "e1000e", "rtl8139", "vmxnet3")) {
            mac = mac == null ? p.get(model) : mac;
          }
        }
        if (mac != null) {
          out.put(e.getKey(), mac);
        }
      }
    }
    return out;
  }

  /** The IPv4 addresses configured for the guest (ipconfig / LXC ip=), by device index. */
  List<String> configuredIps() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(config).entrySet()) {
      String key = e.getKey();
      if ((type == GuestType.QEMU && key.matches("ipconfig\\d+"))
          || (type == GuestType.LXC && key.matches("net\\d+"))) {
        String ip = PropertyStrings.parse(e.getValue(), "x").get("ip");
        if (ip != null && ip.contains("/")) {
          out.add(ip);
        }
      }
    }
    return out;
  }

  String tags() {
    return config.get("tags");
  }

  String lock() {
    return config.get("lock");
  }

  private static int parseInt(String s, int fallback) {
    if (s == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  @Override
  public String toString() {
    return type.apiName() + "/" + vmid + "@" + node;
  }
}
