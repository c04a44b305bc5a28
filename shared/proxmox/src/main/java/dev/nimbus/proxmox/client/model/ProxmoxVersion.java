package dev.nimbus.proxmox.client.model;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pve-manager version and the API features that depend on it. PVE 7 writes {@code 7.4-16} (Debian
 * revision as the last part), PVE 8 and 9 write {@code 8.2.4}; node status reports {@code
 * pve-manager/7.4-16/0f39f621}. All are read as major.minor.patch.
 */
public record ProxmoxVersion(int major, int minor, int patch)
    implements Comparable<ProxmoxVersion> {
  private static final Pattern VERSION =
      Pattern.compile("(?:pve-manager/)?(\\d+)\\.(\\d+)(?:[.-](\\d+))?(?:[^\\d].*)?");

  /** Parses {@code 7.4-16}, {@code 8.2.4}, {@code 9.0}, or {@code pve-manager/7.4-16/hash}. */
  public static ProxmoxVersion parse(String text) {
    Objects.requireNonNull(text, "version");
    Matcher m = VERSION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Proxmox VE version: " + text);
    }
    int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return new ProxmoxVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch);
  }

  /** True when this version is at least {@code major.minor.patch}. */
  public boolean atLeast(int major, int minor, int patch) {
    return compareTo(new ProxmoxVersion(major, minor, patch)) >= 0;
  }

  /** Nested pools ({@code parent/child}) exist (8.1+). */
  public boolean nestedPools() {
    return atLeast(8, 1, 0);
  }

  /**
   * {@code GET /pools?poolid=} returns one pool with members (8.1+); older: {@code /pools/{id}}.
   */
  public boolean poolsByQueryParam() {
    return atLeast(8, 1, 0);
  }

  /** QEMU {@code memory} is a property string ({@code current=4096}) rather than an int (8.1+). */
  public boolean memoryPropertyString() {
    return atLeast(8, 1, 0);
  }

  /** {@code GET /cluster/metrics/export} exists (8.4+). */
  public boolean metricsExport() {
    return atLeast(8, 4, 0);
  }

  /**
   * {@code /cluster/resources} carries {@code network} rows and drops {@code sdn} rows for the
   * nodes that publish them (pve-manager 9.0.12, shipped with PVE 9.1).
   */
  public boolean networkRows() {
    return atLeast(9, 0, 12);
  }

  /** {@code /nodes/{n}/lxc/{id}/interfaces} exists (8.1+; older servers answer 501). */
  public boolean lxcInterfaces() {
    return atLeast(8, 1, 0);
  }

  /** LXC interfaces carry {@code hardware-address} and {@code ip-addresses[]} (8.4+). */
  public boolean lxcInterfaceHwaddrIps() {
    return atLeast(8, 4, 0);
  }

  /** VNet-level firewall {@code /cluster/sdn/vnets/{vnet}/firewall} (8.4+). */
  public boolean vnetFirewall() {
    return atLeast(8, 4, 0);
  }

  /** Guest agent reads need {@code VM.GuestAgent.Audit} instead of {@code VM.Monitor} (9.0+). */
  public boolean guestAgentAuditPriv() {
    return atLeast(9, 0, 0);
  }

  /** Node RRD data accepts {@code timeframe=decade} (9.0+). */
  public boolean rrdDecade() {
    return atLeast(9, 0, 0);
  }

  @Override
  public int compareTo(ProxmoxVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c == 0 ? Integer.compare(patch, o.patch) : c;
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
