package dev.nimbus.pulumi.runner.drift;

import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.deployments.drift.DriftProperty;
import dev.nimbus.deployments.drift.DriftStatus;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of drift events: the EventBridge {@code detail} and the envelope webhooks receive (the
 * same shape as the bus delivers: {@code version}, {@code id}, {@code source}, {@code detail-type},
 * {@code time}, {@code detail}). Schema: {@code drift-event.schema.json} beside the CI change
 * event's schema in functions/ci-events.
 */
public final class DriftEvents {
  public static final String SOURCE = "nimbus.drift";
  public static final String DETECTED = "Nimbus Drift Detected";
  public static final String RESOLVED = "Nimbus Drift Resolved";

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private DriftEvents() {}

  /** One event: a drift that a check found new (status OPEN) or found gone (RESOLVED). */
  public record Event(Drift drift, Instant checkedAt) {
    public String detailType() {
      return drift.status() == DriftStatus.OPEN ? DETECTED : RESOLVED;
    }

    public String eventId() {
      return drift.eventId();
    }

    public String tenantId() {
      return drift.connection().tenantId();
    }
  }

  public static String detail(Event e) {
    return MAPPER.writeValueAsString(detailNode(e));
  }

  public static String envelope(Event e) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", "0");
    root.put("id", e.eventId());
    root.put("source", SOURCE);
    root.put("detail-type", e.detailType());
    root.put("time", e.checkedAt().toString());
    root.putArray("resources");
    root.set("detail", detailNode(e));
    return MAPPER.writeValueAsString(root);
  }

  private static ObjectNode detailNode(Event e) {
    Drift d = e.drift();
    ObjectNode n = MAPPER.createObjectNode();
    n.put("version", "1.0");
    n.put("eventId", e.eventId());
    n.put("status", d.status() == DriftStatus.OPEN ? "DETECTED" : "RESOLVED");
    n.put("tenantId", d.connection().tenantId());
    n.put("connectionId", d.connection().connectionId());
    n.put("stack", d.stack());
    n.put("nativeKey", d.nativeKey());
    putText(n, "urn", d.urn());
    putText(n, "resourceType", d.resourceType());
    putText(n, "semanticType", d.semanticType());
    n.put("driftClass", d.driftClass().name());
    n.put("alarm", d.driftClass().alarm());
    ArrayNode props = n.putArray("properties");
    for (DriftProperty p : d.properties()) {
      ObjectNode pn = props.addObject();
      pn.put("path", p.path());
      pn.set("previousValue", MAPPER.valueToTree(p.previous()));
      pn.set("currentValue", MAPPER.valueToTree(p.current()));
      pn.put("managed", p.managed());
      pn.put("source", p.source());
    }
    if (d.author() != null || d.taskId() != null) {
      ObjectNode a = n.putObject("attribution");
      putText(a, "user", d.author());
      putText(a, "taskId", d.taskId());
    }
    putText(n, "recommendation", d.recommendation());
    n.put("fingerprint", d.fingerprint());
    n.put("detectedAt", d.detectedAt().toString());
    if (d.resolvedAt() != null) {
      n.put("resolvedAt", d.resolvedAt().toString());
    }
    n.put("checkedAt", e.checkedAt().toString());
    return n;
  }

  private static void putText(ObjectNode n, String field, String value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  /** Events of a list of drifts, for tests and tools. */
  public static List<Event> of(List<Drift> drifts, Instant at) {
    return drifts.stream().map(d -> new Event(d, at)).toList();
  }
}
