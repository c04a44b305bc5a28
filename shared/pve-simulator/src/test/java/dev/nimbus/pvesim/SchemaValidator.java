package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Checks a JSON value against a Proxmox API return schema (the JSON-schema dialect of apidata.js):
 * types, required (non-optional) properties, enums, items, {@code additionalProperties: 0}, and
 * indexed keys ({@code net[n]} matches {@code net0}). Proxmox booleans are 0/1 integers.
 */
final class SchemaValidator {
  private SchemaValidator() {}

  static List<String> validate(JsonNode value, JsonNode schema) {
    List<String> errors = new ArrayList<>();
    check(value, schema, "data", errors);
    return errors;
  }

  private static void check(JsonNode value, JsonNode schema, String where, List<String> errors) {
    if (schema == null || schema.isMissingNode() || schema.isEmpty()) {
      return;
    }
    String type = schema.path("type").asString("");
    if (value == null || value.isNull()) {
      if (!type.isEmpty() && !type.equals("null")) {
        errors.add(where + ": null where " + type + " expected");
      }
      return;
    }
    switch (type) {
      case "null" -> errors.add(where + ": expected null, got " + value.getNodeType());
      case "object" -> checkObject(value, schema, where, errors);
      case "array" -> {
        if (!value.isArray()) {
          errors.add(where + ": expected array, got " + value.getNodeType());
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          check(value.get(i), schema.get("items"), where + "[" + i + "]", errors);
        }
      }
      case "string" -> {
        if (!value.isString()) {
          errors.add(where + ": expected string, got " + value.getNodeType() + " " + value);
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          errors.add(where + ": expected integer, got " + value.getNodeType() + " " + value);
        }
      }
      case "number" -> {
        if (!value.isNumber()) {
          errors.add(where + ": expected number, got " + value.getNodeType() + " " + value);
        }
      }
      case "boolean" -> {
        boolean ok =
            value.isBoolean()
                || (value.isIntegralNumber() && (value.asInt() == 0 || value.asInt() == 1));
        if (!ok) {
          errors.add(where + ": expected boolean (0/1), got " + value);
        }
      }
      default -> {}
    }
    JsonNode en = schema.get("enum");
    if (en != null && en.isArray() && value.isValueNode()) {
      boolean found = false;
      for (JsonNode e : en) {
        found |= e.asString("").equals(value.asString(""));
      }
      if (!found) {
        errors.add(where + ": value " + value + " not in enum " + en);
      }
    }
  }

  private static void checkObject(
      JsonNode value, JsonNode schema, String where, List<String> errors) {
    if (!value.isObject()) {
      errors.add(where + ": expected object, got " + value.getNodeType());
      return;
    }
    JsonNode props = schema.get("properties");
    Map<Pattern, JsonNode> indexed = new HashMap<>();
    if (props != null) {
      for (Map.Entry<String, JsonNode> p : props.properties()) {
        String name = p.getKey();
        if (name.endsWith("[n]")) {
          indexed.put(
              Pattern.compile(Pattern.quote(name.substring(0, name.length() - 3)) + "\\d+"),
              p.getValue());
          continue;
        }
        JsonNode v = value.get(name);
        if (v == null) {
          if (!optional(p.getValue())) {
            errors.add(where + "." + name + ": required property missing");
          }
        } else {
          check(v, p.getValue(), where + "." + name, errors);
        }
      }
    }
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      if (props != null && props.has(e.getKey())) {
        continue;
      }
      JsonNode s =
          indexed.entrySet().stream()
              .filter(i -> i.getKey().matcher(e.getKey()).matches())
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(null);
      if (s != null) {
        check(e.getValue(), s, where + "." + e.getKey(), errors);
      } else if (schema.has("additionalProperties")
          && !truthy(schema.get("additionalProperties"))) {
        errors.add(where + "." + e.getKey() + ": property not allowed by the schema");
      }
    }
  }

  private static boolean optional(JsonNode s) {
    return truthy(s.get("optional"));
  }

  private static boolean truthy(JsonNode n) {
    if (n == null || n.isNull()) {
      return false;
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    if (n.isNumber()) {
      return n.asInt() != 0;
    }
    return n.isObject() || "1".equals(n.asString(""));
  }
}
