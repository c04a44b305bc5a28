package dev.nimbus.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Helpers that turn provider values into their normalized form before diffing, so that cosmetic
 * differences (order, case, separators) never show up as changes.
 */
public final class Normalize {
  private static final Pattern TAG_SEPARATORS = Pattern.compile("[;,\\s]+");
  private static final Pattern LIST_SEPARATORS = Pattern.compile("\\s*[,;]\\s*");

  private Normalize() {}

  /**
   * Tags as a sorted, de-duplicated, lower-case list. Proxmox writes {@code a;b} since 7.3, but
   * older configs use commas or spaces, and the UI's order is not meaningful.
   */
  public static List<String> tags(String raw) {
    if (raw == null || raw.isBlank()) {
      return List.of();
    }
    return Arrays.stream(TAG_SEPARATORS.split(raw.trim()))
        .filter(s -> !s.isEmpty())
        .map(s -> s.toLowerCase(Locale.ROOT))
        .distinct()
        .sorted()
        .toList();
  }

  /** A comma or semicolon separated list as a sorted, de-duplicated list (order not meaningful). */
  public static List<String> sortedList(String raw) {
    if (raw == null || raw.isBlank()) {
      return List.of();
    }
    return Arrays.stream(LIST_SEPARATORS.split(raw.trim()))
        .filter(s -> !s.isEmpty())
        .distinct()
        .sorted()
        .toList();
  }

  /** A MAC address in lower-case colon form; null stays null. */
  public static String mac(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String hex = raw.replaceAll("[^0-9A-Fa-f]", "").toLowerCase(Locale.ROOT);
    if (hex.length() != 12) {
      return raw.trim().toLowerCase(Locale.ROOT);
    }
    StringBuilder out = new StringBuilder(17);
    for (int i = 0; i < 12; i += 2) {
      if (i > 0) {
        out.append(':');
      }
      out.append(hex, i, i + 2);
    }
    return out.toString();
  }

  /**
   * A size with an optional binary unit suffix ({@code 32G}, {@code 512M}, {@code 1T}, {@code
   * 4096}) in bytes. A bare number is taken in {@code defaultUnit} (Proxmox gives disk sizes in
   * bytes with a suffix, memory in MiB without one).
   */
  public static long bytes(String raw, char defaultUnit) {
    Objects.requireNonNull(raw, "raw");
    String s = raw.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty size");
    }
    char last = Character.toUpperCase(s.charAt(s.length() - 1));
    char unit = Character.isDigit(last) || last == '.' ? defaultUnit : last;
    String number = Character.isDigit(last) || last == '.' ? s : s.substring(0, s.length() - 1);
    double value;
    try {
      value = Double.parseDouble(number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a size: '" + raw + "'", e);
    }
    long factor =
        switch (Character.toUpperCase(unit)) {
          case 'B' -> 1L;
          case 'K' -> 1L << 10;
          case 'M' -> 1L << 20;
          case 'G' -> 1L << 30;
          case 'T' -> 1L << 40;
          case 'P' -> 1L << 50;
          default -> throw new IllegalArgumentException("unknown size unit in '" + raw + "'");
        };
    return Math.round(value * factor);
  }
}
