package dev.nimbus.local;

import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.Relationship;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CIs as {@code bin/discover --output json} prints them for other tools: one object per CI with
 * {@code id, semanticType, providerType, nativeKey, name, attributes, relationships, status}, each
 * relationship as {@code kind, targetNativeKey, targetId, qualifier}. Ordered by native key, so two
 * runs of an unchanged cluster print the same text.
 */
public final class CiJson {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private CiJson() {}

  public static ArrayNode toJson(List<StoredCi> cis) {
    ArrayNode array = JSON.createArrayNode();
    cis.stream()
        .map(StoredCi::item)
        .sorted(Comparator.comparing(ConfigurationItem::nativeKey))
        .forEach(ci -> array.add(toJson(ci)));
    return array;
  }

  public static ObjectNode toJson(ConfigurationItem ci) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", ci.id().value());
    o.put("semanticType", ci.semanticType().name());
    o.put("providerType", ci.providerType());
    o.put("nativeKey", ci.nativeKey());
    o.put("name", ci.name());
    o.set("attributes", JSON.valueToTree(ci.attributes().asMap()));
    ArrayNode relationships = o.putArray("relationships");
    for (Relationship r : ci.relationships()) {
      ObjectNode edge = relationships.addObject();
      edge.put("kind", r.kind().name());
      edge.put("targetNativeKey", r.targetNativeKey());
      edge.put("targetId", r.targetId().value());
      edge.put("qualifier", r.qualifier());
    }
    o.put("status", ci.status().name());
    return o;
  }

  /** Pretty-printed JSON text. */
  public static String write(JsonNode node) {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
  }
}
