package dev.nimbus.infra.programs;

import dev.nimbus.infra.resources.VmLegacy;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One cloud-init IP configuration in Proxmox's own syntax ({@code ipconfig0}): {@code
 * ip=<IPv4/CIDR>|dhcp,gw=<IPv4>,ip6=<IPv6/CIDR>|dhcp|auto,gw6=<IPv6>}, parsed into the provider's
 * {@code ipv4}/{@code ipv6} blocks. A gateway needs a static address of its family, and lies in no
 * other family.
 */
public record CloudInitIpConfig(String ip, String gw, String ip6, String gw6) {
  private static final Pattern V4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
  private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

  /** Parses {@code text}; the error says which part is wrong. */
  public static Result parse(String text) {
    if (text == null || text.isBlank()) {
      return Result.error("is empty; expected for example ip=10.0.0.5/24,gw=10.0.0.1 or ip=dhcp");
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : text.strip().split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        return Result.error("'" + part + "' is not key=value");
      }
      String key = part.substring(0, eq).strip();
      String value = part.substring(eq + 1).strip();
      if (!key.matches("ip|gw|ip6|gw6")) {
        return Result.error("unknown key '" + key + "' (ip, gw, ip6, gw6)");
      }
      if (parts.put(key, value) != null) {
        return Result.error("'" + key + "' is given twice");
      }
    }
    String ip = parts.get("ip");
    String gw = parts.get("gw");
    String ip6 = parts.get("ip6");
    String gw6 = parts.get("gw6");
    if (ip == null && ip6 == null) {
      return Result.error("needs ip= or ip6=");
    }
    if (ip != null && !ip.equals("dhcp") && !isCidr(ip, false)) {
      return Result.error("ip must be dhcp or an IPv4 address with prefix length (10.0.0.5/24)");
    }
    if (gw != null) {
      if (ip == null || ip.equals("dhcp")) {
        return Result.error("gw needs a static ip");
      }
      if (!V4.matcher(gw).matches()) {
        return Result.error("gw must be an IPv4 address");
      }
    }
    if (ip6 != null && !ip6.equals("dhcp") && !ip6.equals("auto") && !isCidr(ip6, true)) {
      return Result.error("ip6 must be dhcp, auto or an IPv6 address with prefix length");
    }
    if (gw6 != null) {
      if (ip6 == null || ip6.equals("dhcp") || ip6.equals("auto")) {
        return Result.error("gw6 needs a static ip6");
      }
      if (!isAddress(gw6, true)) {
        return Result.error("gw6 must be an IPv6 address");
      }
    }
    return new Result(Optional.of(new CloudInitIpConfig(ip, gw, ip6, gw6)), null);
  }

  /** Back in Proxmox's syntax, normalised (key order ip, gw, ip6, gw6). */
  public String text() {
    StringBuilder b = new StringBuilder();
    append(b, "ip", ip);
    append(b, "gw", gw);
    append(b, "ip6", ip6);
    append(b, "gw6", gw6);
    return b.toString();
  }

  private static void append(StringBuilder b, String key, String value) {
    if (value != null) {
      b.append(b.isEmpty() ? "" : ",").append(key).append('=').append(value);
    }
  }

  /** The provider's {@code VmLegacyInitializationIpConfig} (also used for containers). */
  public VmLegacy.IpConfig toArgs() {
    return new VmLegacy.IpConfig(
        ip == null ? null : new VmLegacy.Address(ip, gw),
        ip6 == null ? null : new VmLegacy.Address(ip6, gw6));
  }

  private static boolean isCidr(String s, boolean v6) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String prefix = s.substring(slash + 1);
    if (!prefix.matches("\\d{1,3}")) {
      return false;
    }
    int len = Integer.parseInt(prefix);
    if (len > (v6 ? 128 : 32)) {
      return false;
    }
    return isAddress(s.substring(0, slash), v6);
  }

  private static boolean isAddress(String s, boolean v6) {
    if (!v6) {
      return V4.matcher(s).matches();
    }
    if (!V6.matcher(s).matches()) {
      return false;
    }
    try {
      // A literal with only hex digits and colons never triggers a DNS lookup.
      return InetAddress.getByName(s).getAddress().length == 16;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** A parsed configuration or the reason it is not one. */
  public record Result(Optional<CloudInitIpConfig> value, String error) {
    static Result error(String message) {
      return new Result(Optional.empty(), message);
    }
  }
}
