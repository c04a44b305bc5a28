package dev.nimbus.pvesim;

import java.util.Locale;

/**
 * Proxmox VE release the simulator answers as. Each profile switches what the real release changed
 * (pools API, qemu {@code memory} format, {@code network} rows, LXC interface fields, metrics
 * export, error bodies, RRD resolution, privileges).
 */
public enum PveVersion {
  V7_4("7.4", "7.4-16", "0f39f621"),
  V8_0("8.0", "8.0.4", "d258a813"),
  V8_1("8.1", "8.1.4", "ec5affc9"),
  V8_4("8.4", "8.4.1", "2a5fa54a"),
  V9_0("9.0", "9.0.10", "deb1ca707ec72a89"),
  V9_1("9.1", "9.1.2", "9d436f37a0ac4172");

  private final String release;
  private final String version;
  private final String repoid;

  PveVersion(String release, String version, String repoid) {
    this.release = release;
    this.version = version;
    this.repoid = repoid;
  }

  /** The {@code x.y} point release, as {@code /version} reports it in {@code release}. */
  public String release() {
    return release;
  }

  /** The pve-manager package version, as {@code /version} reports it in {@code version}. */
  public String version() {
    return version;
  }

  /** Short git revision, as {@code /version} reports it in {@code repoid}. */
  public String repoid() {
    return repoid;
  }

  /** The string {@code /nodes/{n}/status} reports in {@code pveversion}. */
  public String pveManagerString() {
    return "pve-manager/" + version + "/" + repoid.substring(0, 8);
  }

  public boolean atLeast(PveVersion other) {
    return compareTo(other) >= 0;
  }

  /** 8.1 brought nested pools and {@code GET/PUT/DELETE /pools?poolid=}. */
  public boolean hasNestedPools() {
    return atLeast(V8_1);
  }

  /** 8.1 turned the qemu {@code memory} option into a property string. */
  public boolean memoryIsPropertyString() {
    return atLeast(V8_1);
  }

  /**
   * pve-manager 9.0.12 / PVE 9.1: nodes publish {@code network} rows instead of {@code sdn} rows.
   */
  public boolean hasNetworkRows() {
    return atLeast(V9_1);
  }

  /** {@code /nodes/{n}/lxc/{vmid}/interfaces} exists from 8.1. */
  public boolean hasLxcInterfaces() {
    return atLeast(V8_1);
  }

  /** 8.4 added {@code hardware-address} and {@code ip-addresses[]} to LXC interfaces. */
  public boolean hasLxcInterfaceAddresses() {
    return atLeast(V8_4);
  }

  /** {@code /cluster/metrics/export} exists from 8.4. */
  public boolean hasMetricsExport() {
    return atLeast(V8_4);
  }

  /** VNet-level firewall ({@code /cluster/sdn/vnets/{vnet}/firewall}) exists from 8.4. */
  public boolean hasVnetFirewall() {
    return atLeast(V8_4);
  }

  /** pve-http-server 5.2 (PVE 8.3+) adds {@code message} to JSON error bodies. */
  public boolean hasErrorMessageField() {
    return atLeast(V8_4);
  }

  /** PVE 9 keeps new RRD files (finer resolution, decade, memhost/pressure columns). */
  public boolean hasRrd9() {
    return atLeast(V9_0);
  }

  /** PVE 9 dropped {@code VM.Monitor}; guest agent reads need {@code VM.GuestAgent.Audit}. */
  public boolean hasGuestAgentPrivileges() {
    return atLeast(V9_0);
  }

  /** 8.4 documents usage fields (cpu, mem, net, disk) in guest lists and status. */
  public boolean hasGuestUsageFields() {
    return atLeast(V8_4);
  }

  /** PVE 9 adds {@code memhost} and pressure stall fields to guests. */
  public boolean hasPressureFields() {
    return atLeast(V9_0);
  }

  /**
   * Parses {@code 7.4}, {@code 8.1}, {@code 8} / {@code 8.x} (8.4), {@code 9} / {@code 9.x} (9.1),
   * or an enum name such as {@code V8_4}.
   */
  public static PveVersion parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "7", "7.x" -> {
        return V7_4;
      }
      case "8", "8.x" -> {
        return V8_4;
      }
      case "9", "9.x" -> {
        return V9_1;
      }
      default -> {}
    }
    for (PveVersion v : values()) {
      if (v.release.equals(t) || v.name().equalsIgnoreCase(t) || v.version.equals(t)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "Unknown Proxmox VE version " + text + " (use 7.4, 8.x, 9.1)");
  }
}
