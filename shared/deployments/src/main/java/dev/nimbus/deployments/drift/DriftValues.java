package dev.nimbus.deployments.drift;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Value helpers: paths into nested outputs, canonical text for fingerprints and comparisons. */
public final class DriftValues {
  /** Pulumi's marker key of a secret value in state and events. */
  public static final String SECRET_SIG = "4dabf18193072939515e22adb298388d";

  private DriftValues() {}

  /**
   * The value at a provider property path ({@code memory.dedicated}, {@code
   * networkDevices[0].bridge}, {@code tags}) in outputs or inputs; null when absent.
   */
  public static Object at(Map<String, Object> values, String path) {
    if (values == null) {
      return null;
    }
    Object cur = values;
    for (String part : path.split("\\.")) {
      String name = part;
      Integer index = null;
      int bracket = part.indexOf('[');
      if (bracket >= 0 && part.endsWith("]")) {
        name = part.substring(0, bracket);
        try {
          index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
        } catch (NumberFormatException e) {
          return null;
        }
      }
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(name);
      if (index != null) {
        if (!(cur instanceof List<?> l) || index >= l.size()) {
          return null;
        }
        cur = l.get(index);
      }
    }
    return normalize(cur);
  }

  /** The top-level property of a path: {@code memory} for {@code memory.dedicated}. */
  public static String topLevel(String path) {
    int end = path.length();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '.' || c == '[') {
        end = i;
        break;
      }
    }
    return path.substring(0, end);
  }

  /**
   * Numbers as long when whole (the engine's JSON gives doubles: 4096.0), secrets masked, maps
   * sorted.
   */
  public static Object normalize(Object v) {
    if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      return d.longValue();
    }
    if (v instanceof Float f && f == Math.rint(f)) {
      return (long) f.floatValue();
    }
    if (v instanceof Integer i) {
      return i.longValue();
    }
    if (v instanceof Map<?, ?> m) {
      if (m.containsKey(SECRET_SIG)) {
        return "[secret]";
      }
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), normalize(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(DriftValues::normalize).toList();
    }
    return v;
  }

  public static String canonical(Object v) {
    Object n = normalize(v);
    if (n instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      m.forEach((k, x) -> b.append(k).append(':').append(canonical(x)).append(','));
      return b.append('}').toString();
    }
    if (n instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[");
      l.forEach(x -> b.append(canonical(x)).append(','));
      return b.append(']').toString();
    }
    return n == null ? "null" : n instanceof String s ? "\"" + s + "\"" : String.valueOf(n);
  }

  public static boolean same(Object a, Object b) {
    return canonical(a).equals(canonical(b));
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
