package dev.nimbus.model;

import java.util.List;
import java.util.Map;

/**
 * Writes a normalized attribute tree as canonical JSON (sorted keys, no whitespace, shortest
 * numbers), so that hashing it is stable. Kept here rather than using a JSON library because the
 * model has no dependencies and the format must never change silently with a library upgrade.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /** Writes a value of a normalized tree (see {@link Attributes}). */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder(256);
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, Object value) {
    switch (value) {
      case null -> out.append("null");
      case String s -> appendString(out, s);
      case Boolean b -> out.append(b);
      case Long l -> out.append(l);
      case Double d -> out.append(d);
      case Map<?, ?> m -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          appendString(out, (String) e.getKey());
          out.append(':');
          append(out, e.getValue());
        }
        out.append('}');
      }
      case List<?> l -> {
        out.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          append(out, l.get(i));
        }
        out.append(']');
      }
      default ->
          throw new IllegalArgumentException(
              "not a normalized value: " + value.getClass().getSimpleName());
    }
  }

  private static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
