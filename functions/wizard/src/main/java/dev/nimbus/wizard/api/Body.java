package dev.nimbus.wizard.api;

import dev.nimbus.connections.FieldError;
import dev.nimbus.wizard.WizardException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads a JSON body field by field and collects every problem as a field error, so one answer lists
 * them all. Messages name the field and what is expected, and never quote a value: a value typed
 * into the wrong field may be a secret.
 */
final class Body {
  static final int MAX_TEXT = 20_000;

  private final JsonNode root;
  private final List<FieldError> errors = new ArrayList<>();

  Body(JsonNode root) {
    this.root = root;
  }

  List<FieldError> errors() {
    return errors;
  }

  void error(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  /** Throws the collected errors, if any. */
  void done() {
    if (!errors.isEmpty()) {
      throw new WizardException(
          WizardException.Kind.VALIDATION, "the request body is not valid", errors);
    }
  }

  /** The node at a dotted path ({@code endpoint.host}), or null when absent or JSON null. */
  JsonNode node(String path) {
    JsonNode n = root;
    for (String part : path.split("\\.")) {
      if (n == null || !n.isObject()) {
        return null;
      }
      n = n.get(part);
    }
    return n == null || n.isNull() ? null : n;
  }

  boolean has(String path) {
    return node(path) != null;
  }

  Optional<String> text(String path, int maxLength) {
    JsonNode n = node(path);
    if (n == null) {
      return Optional.empty();
    }
    if (!n.isString()) {
      error(path, "must be a string");
      return Optional.empty();
    }
    String v = n.asString();
    if (v.length() > maxLength) {
      error(path, "must be at most " + maxLength + " characters");
      return Optional.empty();
    }
    return Optional.of(v);
  }

  String requiredText(String path, int maxLength) {
    Optional<String> v = text(path, maxLength);
    if (v.isEmpty() && !has(path)) {
      error(path, "is required");
    }
    return v.orElse(null);
  }

  int integer(String path, int min, int max, int fallback) {
    JsonNode n = node(path);
    if (n == null) {
      return fallback;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      error(path, "must be a whole number from " + min + " to " + max);
      return fallback;
    }
    int v = n.asInt();
    if (v < min || v > max) {
      error(path, "must be from " + min + " to " + max);
      return fallback;
    }
    return v;
  }

  long requiredLong(String path) {
    JsonNode n = node(path);
    if (n == null) {
      error(path, "is required (the version you last read)");
      return -1;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 1) {
      error(path, "must be a positive whole number");
      return -1;
    }
    return n.asLong();
  }

  boolean bool(String path, boolean fallback) {
    JsonNode n = node(path);
    if (n == null) {
      return fallback;
    }
    if (!n.isBoolean()) {
      error(path, "must be true or false");
      return fallback;
    }
    return n.asBoolean();
  }

  /** An object of string values; at most {@code maxEntries}. */
  Map<String, String> stringMap(String path, int maxEntries, int maxValue) {
    JsonNode n = node(path);
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null) {
      return out;
    }
    if (!n.isObject()) {
      error(path, "must be an object of names to strings");
      return out;
    }
    if (n.size() > maxEntries) {
      error(path, "must have at most " + maxEntries + " entries");
      return out;
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (e.getKey().length() > 200) {
        error(path, "names must be at most 200 characters");
      } else if (!e.getValue().isString()) {
        error(path + "[" + printable(e.getKey()) + "]", "must be a string");
      } else if (e.getValue().asString().length() > maxValue) {
        error(path + "[" + printable(e.getKey()) + "]", "is too long");
      } else {
        out.put(e.getKey(), e.getValue().asString());
      }
    }
    return out;
  }

  List<String> stringList(String path, int maxEntries, int maxValue) {
    JsonNode n = node(path);
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (!n.isArray() || n.size() > maxEntries) {
      error(path, "must be a list of at most " + maxEntries + " strings");
      return out;
    }
    int i = 0;
    for (JsonNode e : n) {
      if (!e.isString() || e.asString().length() > maxValue) {
        error(path + "[" + i + "]", "must be a string of at most " + maxValue + " characters");
      } else {
        out.add(e.asString());
      }
      i++;
    }
    return out;
  }

  /** A user-typed key made safe to echo in a field name: short, printable ASCII. */
  static String printable(String s) {
    if (s == null) {
      return "";
    }
    String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return cut.replaceAll("[^\\x20-\\x7e…]", "?");
  }
}
