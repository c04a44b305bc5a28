package dev.nimbus.proxmox.client.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Tolerant readers for Proxmox JSON, in one place. Proxmox sends booleans as {@code 0/1} (and
 * sometimes {@code ""}), numbers as strings ({@code "vmid": "106"}), and omits fields rather than
 * sending {@code null}. Every reader returns {@code null} (or {@code false}, or an empty list) for
 * a missing, null or unparsable value instead of failing the whole response.
 */
public final class Lenient {
  private static final Pattern LIST_SEPARATORS = Pattern.compile("[;,\\s]+");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private Lenient() {}

  /** The field, or a missing node when {@code node} is null or has no such field. */
  public static JsonNode field(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      return MissingNode.getInstance();
    }
    JsonNode value = node.get(field);
    return value == null ? MissingNode.getInstance() : value;
  }

  /** A string value; numbers and booleans are rendered as text; absent or null gives null. */
  public static String text(JsonNode node, String field) {
    JsonNode value = field(node, field);
    if (value.isMissingNode() || value.isNull() || value.isContainer()) {
      return null;
    }
    return value.asString();
  }

  /** A long from a number or a numeric string ({@code "106"}, {@code "3400.000"}). */
  public static Long longValue(JsonNode node, String field) {
    return toLong(field(node, field));
  }

  /** An int from a number or a numeric string. */
  public static Integer intValue(JsonNode node, String field) {
    Long value = longValue(node, field);
    return value == null ? null : Math.toIntExact(value);
  }

  /** A double from a number or a numeric string. */
  public static Double doubleValue(JsonNode node, String field) {
    return toDouble(field(node, field));
  }

  /**
   * A boolean in any of Proxmox's spellings: {@code 1/0}, {@code "1"/"0"}, {@code true/false},
   * {@code "on"/"off"}, {@code "yes"/"no"}. Absent, {@code ""} or anything else is {@code false}.
   */
  public static boolean bool(JsonNode node, String field) {
    return Boolean.TRUE.equals(boolOrNull(node, field));
  }

  /** Like {@link #bool} but keeps "not sent" apart from "false". */
  public static Boolean boolOrNull(JsonNode node, String field) {
    return toBool(field(node, field));
  }

  /** Converts one node to a long, or null. */
  public static Long toLong(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    if (value.isNumber()) {
      return (long) value.asDouble();
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? 1L : 0L;
    }
    if (value.isString()) {
      return parseLong(value.asString());
    }
    return null;
  }

  /** Converts one node to a double, or null. */
  public static Double toDouble(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return value.asDouble();
    }
    if (value.isString()) {
      String text = value.asString().trim();
      if (text.isEmpty()) {
        return null;
      }
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** Converts one node to a boolean, or null when it is absent or not a boolean spelling. */
  public static Boolean toBool(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isNumber()) {
      return value.asDouble() != 0;
    }
    if (value.isString()) {
      return parseBool(value.asString());
    }
    return null;
  }

  /** Parses a boolean spelling used in property strings and JSON, or null. */
  public static Boolean parseBool(String text) {
    if (text == null) {
      return null;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "1", "true", "on", "yes" -> true;
      case "0", "false", "off", "no" -> false;
      default -> null;
    };
  }

  /** Parses a long from text ({@code "42"}, {@code " 42 "}, {@code "42.0"}), or null. */
  public static Long parseLong(String text) {
    if (text == null) {
      return null;
    }
    String trimmed = text.trim();
    if (trimmed.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(trimmed);
    } catch (NumberFormatException e) {
      try {
        return (long) Double.parseDouble(trimmed);
      } catch (NumberFormatException notNumber) {
        return null;
      }
    }
  }

  /** Parses a double from text, or null. */
  public static Double parseDouble(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The elements of an array field, or an empty list when absent or not an array. */
  public static List<JsonNode> array(JsonNode node, String field) {
    return elements(field(node, field));
  }

  /** The elements of an array node, or an empty list when it is not an array. */
  public static List<JsonNode> elements(JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(out::add);
    }
    return List.copyOf(out);
  }

  /**
   * A list field that Proxmox sends either as a JSON array or as one string separated by spaces
   * ({@code bridge_ports: "eno1 eno2"}, {@code slaves}, {@code ovs_ports}).
   */
  public static List<String> words(JsonNode node, String field) {
    JsonNode value = field(node, field);
    if (value.isArray()) {
      List<String> out = new ArrayList<>();
      value.forEach(v -> out.add(v.asString()));
      return List.copyOf(out);
    }
    String text = text(node, field);
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return List.of(WHITESPACE.split(text.trim()));
  }

  /**
   * Splits a tag string. PVE 7.3+ writes {@code "prod;web"}, older configs hold {@code "one, two,
   * three"} or space separated tags, so all three separators are accepted.
   */
  public static List<String> tags(String tags) {
    if (tags == null || tags.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String tag : LIST_SEPARATORS.split(tags.trim())) {
      if (!tag.isEmpty()) {
        out.add(tag);
      }
    }
    return List.copyOf(out);
  }

  /** Splits a comma separated list such as storage {@code content} or {@code nodes}. */
  public static List<String> commaList(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String trimmed = part.trim();
      if (!trimmed.isEmpty()) {
        out.add(trimmed);
      }
    }
    return List.copyOf(out);
  }
}
