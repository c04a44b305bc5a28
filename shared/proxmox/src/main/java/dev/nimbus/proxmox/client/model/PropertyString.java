package dev.nimbus.proxmox.client.model;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Proxmox property string such as {@code virtio=BC:24:11:2E:C5:4A,bridge=vmbr0,firewall=1} or
 * {@code local-lvm:vm-101-disk-0,size=32G}. The first element may be positional (no {@code key=});
 * it is stored under the caller's default key ({@code file}, {@code volume}, {@code enabled},
 * {@code current}) and written back positionally, so {@link #format()} returns the original text
 * for every well-formed input. Keys keep their order; unknown keys are kept.
 */
public final class PropertyString {
  private final Map<String, String> values;
  private final String positionalKey;
  private final Set<String> bareKeys;

  private PropertyString(Map<String, String> values, String positionalKey, Set<String> bareKeys) {
    this.values = Collections.unmodifiableMap(values);
    this.positionalKey = positionalKey;
    this.bareKeys = Set.copyOf(bareKeys);
  }

  /** Parses a property string whose elements all have the {@code key=value} form. */
  public static PropertyString parse(String text) {
    return parse(text, null);
  }

  /**
   * Parses a property string; a first element without {@code =} is stored under {@code defaultKey}.
   * Elements after the first that lack {@code =} are kept as a key with an empty value.
   */
  public static PropertyString parse(String text, String defaultKey) {
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> bare = new HashSet<>();
    String positional = null;
    if (text == null || text.isEmpty()) {
      return new PropertyString(values, null, bare);
    }
    String[] parts = text.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      int eq = part.indexOf('=');
      if (eq < 0) {
        if (i == 0 && defaultKey != null) {
          values.put(defaultKey, part);
          positional = defaultKey;
        } else {
          values.put(part, "");
          bare.add(part);
        }
      } else {
        values.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return new PropertyString(values, positional, bare);
  }

  /** Builds a property string from ordered values; {@code positionalKey} may be null. */
  public static PropertyString of(Map<String, String> values, String positionalKey) {
    Objects.requireNonNull(values, "values");
    if (positionalKey != null && !values.containsKey(positionalKey)) {
      throw new IllegalArgumentException("positional key " + positionalKey + " has no value");
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    if (positionalKey != null) {
      ordered.put(positionalKey, values.get(positionalKey));
    }
    values.forEach(ordered::putIfAbsent);
    return new PropertyString(ordered, positionalKey, Set.of());
  }

  /** The value of {@code key}, or null. */
  public String get(String key) {
    return values.get(key);
  }

  /** True when {@code key} is present (even with an empty value). */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** All keys and values in their original order. */
  public Map<String, String> values() {
    return values;
  }

  /** The key the positional first element was stored under, or null. */
  public String positionalKey() {
    return positionalKey;
  }

  /** The values whose keys are not in {@code known}, in order. */
  public Map<String, String> without(Set<String> known) {
    Map<String, String> rest = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (!known.contains(k)) {
            rest.put(k, v);
          }
        });
    return Collections.unmodifiableMap(rest);
  }

  /** Writes the property string back in Proxmox syntax. */
  public String format() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      if (!out.isEmpty()) {
        out.append(',');
      }
      if (entry.getKey().equals(positionalKey)) {
        out.append(entry.getValue());
      } else if (bareKeys.contains(entry.getKey())) {
        out.append(entry.getKey());
      } else {
        out.append(entry.getKey()).append('=').append(entry.getValue());
      }
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PropertyString other
        && values.equals(other.values)
        && Objects.equals(positionalKey, other.positionalKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(values, positionalKey);
  }

  @Override
  public String toString() {
    return format();
  }
}
