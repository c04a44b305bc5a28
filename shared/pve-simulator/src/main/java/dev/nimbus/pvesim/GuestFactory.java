package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates realistic guests and node networks from a seeded random source, with configs written
 * the way Proxmox writes them (property strings, Proxmox MAC prefix, volume names).
 */
final class GuestFactory {
  private static final String[] OS_QEMU = {"l26", "l26", "l26", "win11", "win10", "other"};
  private static final String[] OS_LXC = {"debian", "ubuntu", "alpine", "centos"};

  private final PveVersion version;
  private final SplittableRandom random;

  GuestFactory(PveVersion version, SplittableRandom random) {
    this.version = version;
    this.random = random;
  }

  private String memoryValue(long mib) {
    // 8.1+ may write the property-string form; plain numbers remain valid there too.
    return version.memoryIsPropertyString() && mib % 3 == 0
        ? "current=" + mib
        : String.valueOf(mib);
  }

  String mac() {
    return PropertyStrings.mac(random.nextLong());
  }

  /** A QEMU VM config. {@code ipIndex} picks a stable address in 10.x. */
  Guest qemu(
      int vmid,
      String node,
      String name,
      int nics,
      boolean agent,
      String tags,
      String diskStorage) {
    Guest g = new Guest(vmid, GuestType.QEMU, node);
    Map<String, String> c = g.config;
    long mem = new long[] {1024, 2048, 4096, 8192, 16384}[random.nextInt(5)];
    c.put("name", name);
    c.put("memory", memoryValue(mem));
    c.put("cores", String.valueOf(1 << random.nextInt(4)));
    c.put("sockets", "1");
    c.put("cpu", "x86-64-v2-AES");
    c.put("ostype", OS_QEMU[random.nextInt(OS_QEMU.length)]);
    c.put("scsihw", "virtio-scsi-single");
    c.put("boot", "order=scsi0;ide2;net0");
    c.put(
        "scsi0",
        diskStorage + ":vm-" + vmid + "-disk-0,iothread=1,size=" + (16 << random.nextInt(4)) + "G");
    if (random.nextInt(4) == 0) {
      c.put(
          "scsi1",
          diskStorage
              + ":vm-"
              + vmid
              + "-disk-1,iothread=1,size="
              + (50 + random.nextInt(200))
              + "G");
    }
    c.put("ide2", "none,media=cdrom");
    for (int i = 0; i < nics; i++) {
      int vlan = new int[] {0, 10, 20, 30}[random.nextInt(4)];
      String bridge = vlan == 0 ? "vmbr0" : "vmbr1";
      c.put(
          "net" + i,
          "virtio="
              + mac()
              + ",bridge="
              + bridge
              + ",firewall=1"
              + (vlan == 0 ? "" : ",tag=" + vlan));
      int third = (vmid / 250) % 250;
      c.put(
          "ipconfig" + i,
          "ip=10."
              + (i + 1)
              + "."
              + third
              + "."
              + (vmid % 250 + 2)
              + "/16,gw=10."
              + (i + 1)
              + ".0.1");
    }
    if (agent) {
      c.put("agent", random.nextBoolean() ? "1" : "enabled=1,fstrim_cloned_disks=1");
    }
    if (tags != null) {
      c.put("tags", tags);
    }
    c.put("onboot", random.nextBoolean() ? "1" : "0");
    c.put("numa", "0");
    c.put("smbios1", "uuid=" + new java.util.UUID(random.nextLong(), random.nextLong()));
    c.put("vmgenid", new java.util.UUID(random.nextLong(), random.nextLong()).toString());
    if (version.atLeast(PveVersion.V8_1)) {
      c.put("meta", "creation-qemu=8.1.2,ctime=" + (1_700_000_000 + random.nextInt(50_000_000)));
    }
    return g;
  }

  /** An LXC container config. */
  Guest lxc(int vmid, String node, String name, String tags, String diskStorage) {
    Guest g = new Guest(vmid, GuestType.LXC, node);
    Map<String, String> c = g.config;
    c.put("arch", "amd64");
    c.put("hostname", name);
    c.put("memory", String.valueOf(new int[] {256, 512, 1024, 2048}[random.nextInt(4)]));
    c.put("swap", "512");
    c.put("cores", String.valueOf(1 + random.nextInt(4)));
    c.put("ostype", OS_LXC[random.nextInt(OS_LXC.length)]);
    c.put("rootfs", diskStorage + ":vm-" + vmid + "-disk-0,size=" + (4 << random.nextInt(3)) + "G");
    c.put(
        "net0",
        "name=eth0,bridge=vmbr0,firewall=1,hwaddr="
            + mac()
            + ",ip=10.3."
            + ((vmid / 250) % 250)
            + "."
            + (vmid % 250 + 2)
            + "/16,gw=10.3.0.1,type=veth");
    c.put("unprivileged", "1");
    c.put("features", "nesting=1");
    if (tags != null) {
      c.put("tags", tags);
    }
    c.put("onboot", "1");
    return g;
  }

  /** The node's interfaces: two NICs, vmbr0, a VLAN-aware vmbr1, optionally an OVS bridge. */
  static List<Map<String, Object>> network(int nodeIndex, boolean ovs) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(
        iface(
            "eno1",
            "eth",
            "method",
            "manual",
            "active",
            1,
            "exists",
            1,
            "families",
            List.of("inet")));
    out.add(
        iface(
            "eno2",
            "eth",
            "method",
            "manual",
            "active",
            1,
            "exists",
            1,
            "families",
            List.of("inet")));
    out.add(
        iface(
            "vmbr0",
            "bridge",
            "method",
            "static",
            "active",
            1,
            "autostart",
            1,
            "families",
            List.of("inet"),
            "address",
            "10.0.0." + (10 + nodeIndex),
            "netmask",
            "24",
            "cidr",
            "10.0.0." + (10 + nodeIndex) + "/24",
            "gateway",
            "10.0.0.1",
            "bridge_ports",
            "eno1",
            "bridge_stp",
            "off",
            "bridge_fd",
            "0"));
    out.add(
        iface(
            "vmbr1",
            "bridge",
            "method",
            "manual",
            "active",
            1,
            "autostart",
            1,
            "families",
            List.of("inet"),
            "bridge_ports",
            "eno2",
            "bridge_stp",
            "off",
            "bridge_fd",
            "0",
            "bridge_vlan_aware",
            1,
            "bridge_vids",
            "2-4094",
            "comments",
            "VLAN trunk\n"));
    out.add(
        iface(
            "vmbr1.20",
            "vlan",
            "method",
            "static",
            "active",
            1,
            "autostart",
            1,
            "families",
            List.of("inet"),
            "address",
            "10.20.0." + (10 + nodeIndex),
            "netmask",
            "24",
            "cidr",
            "10.20.0." + (10 + nodeIndex) + "/24",
            "vlan-id",
            20,
            "vlan-raw-device",
            "vmbr1"));
    if (ovs) {
      out.add(
          iface(
              "vmbr2",
              "OVSBridge",
              "method",
              "manual",
              "active",
              1,
              "autostart",
              1,
              "families",
              List.of("inet"),
              "ovs_type",
              "OVSBridge",
              "ovs_ports",
              "eno3"));
      out.add(
          iface(
              "eno3",
              "OVSPort",
              "method",
              "manual",
              "active",
              1,
              "families",
              List.of("inet"),
              "ovs_type",
              "OVSPort",
              "ovs_bridge",
              "vmbr2"));
    }
    return out;
  }

  private static Map<String, Object> iface(String name, String type, Object... kv) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("iface", name);
    r.put("type", type);
    r.put("priority", 5);
    for (int i = 0; i < kv.length; i += 2) {
      r.put((String) kv[i], kv[i + 1]);
    }
    return r;
  }

  static Node node(
      String name, int index, SplittableRandom random, boolean ovs, List<FirewallRule> rules) {
    int cpus = new int[] {16, 32, 48, 64}[random.nextInt(4)];
    long mem = new long[] {64L << 30, 128L << 30, 256L << 30}[random.nextInt(3)];
    return new Node(
        name,
        index + 1,
        "10.0.0." + (10 + index),
        cpus,
        cpus >= 48 ? 2 : 1,
        "AMD EPYC 7302P 16-Core Processor",
        mem,
        100L << 30,
        network(index, ovs),
        rules);
  }
}
