package dev.nimbus.pvesim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Small helpers for Proxmox property strings ({@code key=value,key=value}) and sizes. */
final class PropertyStrings {
  private PropertyStrings() {}

  /**
   * Parses a property string; a first element without {@code =} is stored under {@code defaultKey}
   * (Proxmox's positional first key, e.g. the volume of a disk).
   */
  static Map<String, String> parse(String value, String defaultKey) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null || value.isEmpty()) {
      return out;
    }
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        out.put(defaultKey, part);
      } else {
        out.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return out;
  }

  /** Parses a Proxmox size such as {@code 32G}, {@code 512M}, {@code 1T} or plain bytes. */
  static long parseSize(String size) {
    if (size == null || size.isEmpty()) {
      return 0;
    }
    char unit = Character.toUpperCase(size.charAt(size.length() - 1));
    String digits = Character.isDigit(unit) ? size : size.substring(0, size.length() - 1);
    double n;
    try {
      n = Double.parseDouble(digits);
    } catch (NumberFormatException e) {
      return 0;
    }
    long mult =
        switch (unit) {
          case 'K' -> 1L << 10;
          case 'M' -> 1L << 20;
          case 'G' -> 1L << 30;
          case 'T' -> 1L << 40;
          default -> 1;
        };
    return (long) (n * mult);
  }

  /** Memory in MiB from a qemu {@code memory} value: {@code 4096} or {@code current=4096}. */
  static long memoryMiB(String value, long fallback) {
    if (value == null) {
      return fallback;
    }
    String v = parse(value, "current").getOrDefault("current", "");
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /**
   * Normalises tags the way PVE 7.3+ writes them: lower-case, de-duplicated, sorted, ';'-joined.
   */
  static String normaliseTags(String tags) {
    java.util.TreeSet<String> set = new java.util.TreeSet<>();
    for (String t : tags.toLowerCase(Locale.ROOT).split("[;,\\s]+")) {
      if (!t.isEmpty()) {
        set.add(t);
      }
    }
    return String.join(";", set);
  }

  static String mac(long bits) {
    // BC:24:11 is the Proxmox OUI used for generated MAC addresses.
    return String.format(
        Locale.ROOT,
        "BC:24:11:%02X:%02X:%02X",
        (bits >> 16) & 0xff,
        (bits >> 8) & 0xff,
        bits & 0xff);
  }
}
