package dev.nimbus.infra.programs;

import dev.nimbus.connections.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a program's raw inputs (the JSON object the API received) field by field, collecting every
 * error instead of stopping at the first, and refusing fields the program does not know (a typo
 * would otherwise be silently ignored).
 */
public final class Inputs {
  /** Proxmox's own limits on VM ids (datacenter.cfg next-id bounds). */
  public static final int MIN_VMID = 100;

  public static final int MAX_VMID = 999_999_999;

  /** Node names: a host name label, as {@code pvecm} accepts them. */
  static final Pattern NODE = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");

  /** Storage ids: Proxmox's {@code pve-storage-id} format. */
  static final Pattern STORAGE = Pattern.compile("[a-zA-Z][a-zA-Z0-9\\-_.]*");

  /** Guest names (Proxmox's DNS-name rule for {@code name} / {@code hostname}). */
  static final Pattern DNS_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
              + "(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*");

  private final Map<String, Object> raw;
  private final List<FieldError> errors = new ArrayList<>();
  private final Set<String> read = new LinkedHashSet<>();

  public Inputs(Map<String, Object> raw) {
    this.raw = raw == null ? Map.of() : raw;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public void error(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  public boolean has(String field) {
    return raw.get(field) != null;
  }

  /** A required or optional string; blank counts as missing. */
  public String string(String field, boolean required) {
    read.add(field);
    Object v = raw.get(field);
    if (v == null || (v instanceof String s && s.isBlank())) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      error(field, "must be a string");
      return null;
    }
    return s.strip();
  }

  /** A string matching {@code pattern}, with {@code rule} as the message when it does not. */
  public String matching(String field, boolean required, Pattern pattern, String rule) {
    String s = string(field, required);
    if (s != null && !pattern.matcher(s).matches()) {
      error(field, rule);
      return null;
    }
    return s;
  }

  /** An integer in [min, max]; {@code fallback} when absent and not required. */
  public Integer integer(String field, boolean required, int min, int max, Integer fallback) {
    read.add(field);
    Object v = raw.get(field);
    if (v == null) {
      if (required) {
        error(field, "is required");
      }
      return fallback;
    }
    long n;
    if (v instanceof Number num && isWhole(num)) {
      n = num.longValue();
    } else if (v instanceof String s && s.strip().matches("-?\\d{1,12}")) {
      n = Long.parseLong(s.strip());
    } else {
      error(field, "must be a whole number");
      return null;
    }
    if (n < min || n > max) {
      error(field, "must be between " + min + " and " + max);
      return null;
    }
    return (int) n;
  }

  private static boolean isWhole(Number num) {
    double d = num.doubleValue();
    return !Double.isInfinite(d) && d == Math.rint(d);
  }

  public Boolean bool(String field, boolean fallback) {
    read.add(field);
    Object v = raw.get(field);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    error(field, "must be true or false");
    return fallback;
  }

  /** A list of strings (a single string is read as a one-element list). */
  public List<String> strings(String field, boolean required) {
    read.add(field);
    Object v = raw.get(field);
    if (v == null) {
      if (required) {
        error(field, "is required");
      }
      return List.of();
    }
    if (v instanceof String s) {
      return s.isBlank() ? List.of() : List.of(s.strip());
    }
    if (!(v instanceof List<?> list)) {
      error(field, "must be a list of strings");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s) || s.isBlank()) {
        error(field + "[" + i + "]", "must be a non-empty string");
      } else {
        out.add(s.strip());
      }
    }
    if (required && out.isEmpty() && errors.stream().noneMatch(e -> e.field().startsWith(field))) {
      error(field, "needs at least one entry");
    }
    return out;
  }

  /** A list of objects (for rules). */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> objects(String field, boolean required) {
    read.add(field);
    Object v = raw.get(field);
    if (v == null) {
      if (required) {
        error(field, "is required");
      }
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      error(field, "must be a list of objects");
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> m) {
        out.add((Map<String, Object>) m);
      } else {
        error(field + "[" + i + "]", "must be an object");
      }
    }
    return out;
  }

  /** A guest id in Proxmox's range. */
  public Integer vmid(String field, boolean required) {
    return integer(field, required, MIN_VMID, MAX_VMID, null);
  }

  /** Fails with every collected error, including unknown fields. */
  public void finish() {
    for (String key : raw.keySet()) {
      if (!read.contains(key)) {
        error(key, "is not an input of this program");
      }
    }
    if (!errors.isEmpty()) {
      throw new InputException(errors);
    }
  }
}
