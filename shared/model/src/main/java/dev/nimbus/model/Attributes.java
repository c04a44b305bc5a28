package dev.nimbus.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The normalized attributes of a CI: a JSON-like tree whose leaves are {@link String}, {@link
 * Long}, {@link Double} or {@link Boolean}, whose objects are sorted maps and whose arrays are
 * lists. Normalizing on the way in (null entries dropped, ints widened to long, keys sorted) makes
 * two snapshots of an unchanged resource produce equal attributes and the same {@link
 * #contentHash()}, which is what lets the CMDB skip writes for unchanged CIs.
 */
public final class Attributes {
  private static final Attributes EMPTY = new Attributes(Collections.emptySortedMap());

  private final SortedMap<String, Object> values;

  private Attributes(SortedMap<String, Object> values) {
    this.values = values;
  }

  /** No attributes. */
  public static Attributes empty() {
    return EMPTY;
  }

  /** Normalizes a map of values (maps, lists, strings, numbers, booleans; nulls are dropped). */
  public static Attributes of(Map<String, ?> raw) {
    Objects.requireNonNull(raw, "raw");
    return new Attributes(normalizeMap(raw, ""));
  }

  /**
   * A builder that keeps insertion simple: {@code Attributes.builder().put("cores", 4).build()}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The normalized, unmodifiable tree. */
  public SortedMap<String, Object> asMap() {
    return values;
  }

  /** The value at a top-level key, or null. */
  public Object get(String key) {
    return values.get(key);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** Canonical JSON of the tree: keys sorted, no whitespace; stable across JVMs and runs. */
  public String toCanonicalJson() {
    return CanonicalJson.write(values);
  }

  /** SHA-256 (hex) of {@link #toCanonicalJson()}. */
  public String contentHash() {
    return sha256(toCanonicalJson());
  }

  /** The field-level differences from {@code previous} to this, in path order. */
  public List<PropertyChange> diffFrom(Attributes previous) {
    List<PropertyChange> changes = new ArrayList<>();
    AttributeDiff.diff("", previous.values, values, changes);
    return List.copyOf(changes);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static SortedMap<String, Object> normalizeMap(Map<?, ?> raw, String path) {
    TreeMap<String, Object> out = new TreeMap<>();
    for (Map.Entry<?, ?> e : raw.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException("attribute keys must be strings at '" + path + "'");
      }
      Object value = normalize(e.getValue(), path.isEmpty() ? key : path + "." + key);
      if (value != null) {
        out.put(key, value);
      }
    }
    return Collections.unmodifiableSortedMap(out);
  }

  private static Object normalize(Object value, String path) {
    return switch (value) {
      case null -> null;
      case String s -> s;
      case Boolean b -> b;
      case Integer i -> i.longValue();
      case Long l -> l;
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case BigInteger b -> b.longValueExact();
      case Float f -> normalizeDouble(f.doubleValue(), path);
      case Double d -> normalizeDouble(d, path);
      case BigDecimal d -> normalizeDouble(d.doubleValue(), path);
      case Enum<?> e -> e.name();
      case Attributes a -> a.values;
      case Map<?, ?> m -> normalizeMap(m, path);
      case Collection<?> c -> {
        List<Object> list = new ArrayList<>(c.size());
        int i = 0;
        for (Object element : c) {
          Object n = normalize(element, path + "[" + i++ + "]");
          if (n != null) {
            list.add(n);
          }
        }
        yield Collections.unmodifiableList(list);
      }
      default ->
          throw new IllegalArgumentException(
              "unsupported attribute value of type "
                  + value.getClass().getSimpleName()
                  + " at '"
                  + path
                  + "'");
    };
  }

  private static Object normalizeDouble(double d, String path) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("attribute '" + path + "' is not a finite number");
    }
    // A whole number is stored as a long, so 4096 and 4096.0 compare equal.
    if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
      return (long) d;
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return toCanonicalJson();
  }

  /** Collects attributes in insertion order; normalization happens in {@link #build()}. */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Builder() {}

    /** Sets a value; a null value removes the key. */
    public Builder put(String key, Object value) {
      Objects.requireNonNull(key, "key");
      if (value == null) {
        values.remove(key);
      } else {
        values.put(key, value);
      }
      return this;
    }

    public Attributes build() {
      return Attributes.of(values);
    }
  }
}
