package dev.nimbus.events;

import dev.nimbus.model.Attribution;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.PropertyChange;
import dev.nimbus.model.Relationship;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a {@link CiChangeEvent} as the JSON described by {@code
 * schema/ci-change-event.schema.json}: the {@code detail} put on the bus, and the whole event (an
 * EventBridge-shaped envelope around the same detail) that webhooks receive. Modelled on AWS
 * Config's configuration item change notification: {@code configurationItem} plus {@code
 * configurationItemDiff.changedProperties}.
 *
 * <p>An event whose detail would pass {@link #MAX_DETAIL_BYTES} (EventBridge takes at most 256 KB
 * per entry) is sent in its oversized form, like Config's oversized notification: the CI without
 * its attributes, the diff with paths but without values, and {@code "oversized": true}; the
 * consumer reads the full CI from the CMDB.
 */
public final class CiChangeEventJson {
  /** The event source on the bus. */
  public static final String SOURCE = "nimbus.cmdb";

  /** The detail's schema version; bumped only for incompatible changes. */
  public static final String DETAIL_VERSION = "1.0";

  /** Room for source, detail-type and time in a 256 KB entry. */
  public static final int MAX_DETAIL_BYTES = 250 * 1024;

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private CiChangeEventJson() {}

  /** The {@code detail} object as put on the bus, oversized form when needed. */
  public static String detail(CiChangeEvent event) {
    String full = MAPPER.writeValueAsString(detailNode(event, false));
    if (full.getBytes(StandardCharsets.UTF_8).length <= MAX_DETAIL_BYTES) {
      return full;
    }
    return MAPPER.writeValueAsString(detailNode(event, true));
  }

  /**
   * The whole event as a webhook receives it: {@code version}, {@code id} (the event id), {@code
   * source}, {@code detail-type}, {@code time} (capture time) and {@code detail}.
   */
  public static String envelope(CiChangeEvent event) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", "0");
    root.put("id", event.eventId());
    root.put("source", SOURCE);
    root.put("detail-type", DetailTypes.of(event.kind()));
    root.put("time", event.captureTime().toString());
    root.putArray("resources");
    root.set("detail", MAPPER.readTree(detail(event)));
    return MAPPER.writeValueAsString(root);
  }

  /** Parses JSON written here (or received from the bus) into a tree, for tests and tools. */
  public static JsonNode parse(String json) {
    return MAPPER.readTree(json);
  }

  private static ObjectNode detailNode(CiChangeEvent event, boolean oversized) {
    ObjectNode detail = MAPPER.createObjectNode();
    detail.put("version", DETAIL_VERSION);
    detail.put("eventId", event.eventId());
    detail.put("messageType", "ConfigurationItemChangeNotification");
    detail.put("changeKind", event.kind().name());
    detail.put("tenantId", event.ci().connection().tenantId());
    detail.put("connectionId", event.ci().connection().connectionId());
    detail.put("configurationStateId", event.configurationStateId());
    detail.put("captureTime", event.captureTime().toString());
    detail.set("configurationItem", ci(event, oversized));
    ObjectNode diff = detail.putObject("configurationItemDiff");
    diff.put("changeType", DetailTypes.diffChangeType(event.kind()).name());
    ArrayNode changed = diff.putArray("changedProperties");
    for (PropertyChange c : event.changedProperties()) {
      ObjectNode p = changed.addObject();
      p.put("path", c.path());
      if (!oversized) {
        p.set("previousValue", MAPPER.valueToTree(c.previousValue()));
        p.set("updatedValue", MAPPER.valueToTree(c.updatedValue()));
      }
      p.put("changeType", c.kind().name());
    }
    Attribution a = event.attribution();
    if (a.isKnown() || a.time() != null) {
      ObjectNode attribution = detail.putObject("attribution");
      putIfPresent(attribution, "user", a.user());
      putIfPresent(attribution, "taskId", a.taskId());
      putIfPresent(attribution, "taskType", a.taskType());
      putIfPresent(attribution, "time", a.time());
    }
    if (oversized) {
      detail.put("oversized", true);
    }
    return detail;
  }

  private static ObjectNode ci(CiChangeEvent event, boolean oversized) {
    ConfigurationItem ci = event.ci();
    ObjectNode node = MAPPER.createObjectNode();
    node.put("ciId", ci.id().value());
    node.put("provider", ci.provider());
    node.put("tenantId", ci.connection().tenantId());
    node.put("connectionId", ci.connection().connectionId());
    node.put("nativeKey", ci.nativeKey());
    node.put("semanticType", ci.semanticType().name());
    node.put("providerType", ci.providerType());
    node.put("name", ci.name());
    node.put("scope", ci.scope());
    node.put("status", ci.status().name());
    node.put("configurationStateId", event.configurationStateId());
    node.put("captureTime", event.captureTime().toString());
    node.set(
        "attributes",
        oversized ? MAPPER.createObjectNode() : MAPPER.valueToTree(ci.attributes().asMap()));
    ArrayNode relationships = node.putArray("relationships");
    for (Relationship r : ci.relationships()) {
      ObjectNode rel = relationships.addObject();
      rel.put("kind", r.kind().name());
      rel.put("targetCiId", r.targetId().value());
      rel.put("targetNativeKey", r.targetNativeKey());
      if (!r.qualifier().isEmpty()) {
        rel.put("qualifier", r.qualifier());
      }
    }
    return node;
  }

  private static void putIfPresent(ObjectNode node, String field, Object value) {
    if (value instanceof Instant instant) {
      node.put(field, instant.toString());
    } else if (value != null) {
      node.put(field, value.toString());
    }
  }
}
