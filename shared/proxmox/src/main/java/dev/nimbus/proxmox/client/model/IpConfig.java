package dev.nimbus.proxmox.client.model;

import java.util.Map;
import java.util.Set;

/**
 * A cloud-init {@code ipconfigN} value: {@code ip=10.0.0.5/24,gw=10.0.0.1}, {@code ip=dhcp}, {@code
 * ip6=auto}. Unknown keys are kept.
 */
public record IpConfig(
    String ip,
    String gw,
    String ip6,
    String gw6,
    Map<String, String> unknown,
    PropertyString source) {

  private static final Set<String> KNOWN = Set.of("ip", "gw", "ip6", "gw6");

  public static IpConfig parse(String text) {
    PropertyString ps = PropertyString.parse(text);
    return new IpConfig(
        ps.get("ip"), ps.get("gw"), ps.get("ip6"), ps.get("gw6"), ps.without(KNOWN), ps);
  }

  public String format() {
    return source.format();
  }
}
