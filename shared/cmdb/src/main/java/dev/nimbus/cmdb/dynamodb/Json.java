package dev.nimbus.cmdb.dynamodb;

import dev.nimbus.model.Attributes;
import dev.nimbus.model.CanonicalJson;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON of stored values: written as the model's canonical JSON (the text the content hash is
 * computed over), read back with Jackson and normalized again, so a stored tree compares equal to
 * the one that was written.
 */
final class Json {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

  private Json() {}

  /** Canonical JSON of a normalized value; null stays null (an absent value). */
  static String write(Object normalized) {
    return normalized == null ? null : CanonicalJson.write(normalized);
  }

  /** A normalized value from JSON; null stays null. */
  static Object readValue(String json) {
    if (json == null) {
      return null;
    }
    Object raw = parse(json, Object.class);
    // Attributes normalizes whole trees only; wrap the value to normalize it the same way.
    return raw == null ? null : Attributes.of(Map.of("v", raw)).get("v");
  }

  static Attributes readAttributes(String json) {
    try {
      return Attributes.of(MAPPER.readValue(json, OBJECT));
    } catch (JacksonException e) {
      throw new IllegalStateException("stored attributes are not a JSON object", e);
    }
  }

  static String writeStrings(Map<String, String> map) {
    return MAPPER.writeValueAsString(map);
  }

  static Map<String, String> readStrings(String json) {
    try {
      return MAPPER.readValue(json, STRINGS);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not a JSON object of strings", e);
    }
  }

  private static <T> T parse(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JacksonException e) {
      throw new IllegalStateException("stored value is not JSON", e);
    }
  }
}
