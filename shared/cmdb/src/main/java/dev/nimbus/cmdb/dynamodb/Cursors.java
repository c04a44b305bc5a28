package dev.nimbus.cmdb.dynamodb;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque page cursors: the key attributes of the last item returned (all strings in this table), as
 * base64url JSON. A query's start key is rebuilt from them, so a page may end anywhere, even in the
 * middle of what DynamoDB returned.
 */
final class Cursors {
  private Cursors() {}

  static String encode(Map<String, AttributeValue> key) {
    Map<String, String> plain = new TreeMap<>();
    key.forEach((name, value) -> plain.put(name, value.s()));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(Json.writeStrings(plain).getBytes(StandardCharsets.UTF_8));
  }

  /** The start key of a cursor; it must hold exactly {@code names}. Null gives null. */
  static Map<String, AttributeValue> decode(String cursor, List<String> names) {
    if (cursor == null) {
      return null;
    }
    Map<String, String> plain;
    try {
      plain =
          Json.readStrings(
              new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a cursor of this query", e);
    }
    if (!plain.keySet().equals(new java.util.HashSet<>(names))) {
      throw new IllegalArgumentException("not a cursor of this query");
    }
    Map<String, AttributeValue> key = new HashMap<>();
    plain.forEach((name, value) -> key.put(name, AttributeValue.fromS(value)));
    return key;
  }
}
