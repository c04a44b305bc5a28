package dev.nimbus.wizard.api;

import dev.nimbus.cmdb.CiHistoryEntry;
import dev.nimbus.cmdb.Page;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.connections.Connection;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.PropertyChange;
import dev.nimbus.wizard.CiBrowser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the answers, built explicitly: a stored connection shows its settings, status
 * and the names of its secret headers, never a ciphertext or a secret.
 */
final class Views {
  private Views() {}

  static Map<String, Object> connection(Connection c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.ref().connectionId());
    m.put("name", c.name());
    Map<String, Object> endpoint = new LinkedHashMap<>();
    endpoint.put("host", c.endpoint().host());
    endpoint.put("port", c.endpoint().port());
    endpoint.put("pathPrefix", c.endpoint().pathPrefix().orElse(null));
    m.put("endpoint", endpoint);
    m.put(
        "proxy",
        c.proxy()
            .map(
                p ->
                    Map.<String, Object>of(
                        "type", p.type().name(), "host", p.host(), "port", p.port()))
            .orElse(null));
    m.put("headerNames", List.copyOf(c.secretHeaders().keySet()));
    Map<String, Object> tls = new LinkedHashMap<>();
    tls.put("pinnedFingerprints", c.tls().pinnedFingerprints());
    tls.put("caPem", c.tls().caPem().orElse(null));
    tls.put("systemTrustStore", c.tls().useSystemTrustStore());
    m.put("tls", tls);
    m.put("tokenId", c.tokenId());
    m.put("scope", scope(c.scope()));
    m.put("schedule", c.schedule().expression());
    m.put("status", c.status().name());
    m.put(
        "lastRun",
        c.lastRun()
            .map(
                r -> {
                  Map<String, Object> run = new LinkedHashMap<>();
                  run.put("startedAt", r.startedAt().toString());
                  run.put("finishedAt", r.finishedAt().toString());
                  run.put("succeeded", r.succeeded());
                  run.put("ciCount", r.itemCount());
                  run.put("problem", r.problem().orElse(null));
                  return run;
                })
            .orElse(null));
    m.put("nextDueAt", c.nextDueAt().map(Object::toString).orElse(null));
    m.put("createdAt", c.createdAt().toString());
    m.put("createdBy", c.createdBy());
    m.put("updatedAt", c.updatedAt().toString());
    m.put("updatedBy", c.updatedBy());
    m.put("version", c.version());
    return m;
  }

  static Map<String, Object> scope(DiscoveryScope s) {
    return switch (s) {
      case DiscoveryScope.Everything e -> Map.of("kind", "everything", "names", List.of());
      case DiscoveryScope.Compartments p ->
          Map.of("kind", "pools", "names", List.copyOf(p.names()));
      case DiscoveryScope.Hosts h -> Map.of("kind", "nodes", "names", List.copyOf(h.names()));
    };
  }

  static Map<String, Object> run(RunRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("startedAt", r.startedAt().toString());
    m.put("finishedAt", r.finishedAt().toString());
    m.put("created", r.created());
    m.put("updated", r.updated());
    m.put("recovered", r.recovered());
    m.put("deleted", r.deleted());
    m.put("unchanged", r.unchanged());
    m.put("unreachable", r.unreachable());
    m.put("proxmoxCalls", r.providerCalls());
    m.put("partialScopes", List.copyOf(r.partialScopes()));
    m.put("errors", r.errors());
    return m;
  }

  static Map<String, Object> ci(StoredCi s) {
    ConfigurationItem ci = s.item();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", ci.id().value());
    m.put("connection", ci.connection().connectionId());
    m.put("nativeKey", ci.nativeKey());
    m.put("semanticType", ci.semanticType().name());
    m.put("providerType", ci.providerType());
    m.put("name", ci.name());
    m.put("status", ci.status().name());
    m.put("configurationStateId", s.configurationStateId());
    m.put("firstSeen", s.firstSeen().toString());
    m.put("lastChanged", s.lastChanged().toString());
    m.put("attributes", ci.attributes().asMap());
    return m;
  }

  static Map<String, Object> page(Page<StoredCi> page) {
    return Map.of(
        "items",
        page.items().stream().map(Views::ci).toList(),
        "nextCursor",
        page.nextCursor() == null ? "" : page.nextCursor());
  }

  static Map<String, Object> detail(CiBrowser.CiDetail d) {
    Map<String, Object> m = ci(d.ci());
    List<Map<String, Object>> rels = new ArrayList<>();
    for (CiBrowser.CiDetail.Link l : d.relationships()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("kind", l.relationship().kind().name());
      r.put("targetNativeKey", l.relationship().targetNativeKey());
      r.put("targetId", l.relationship().targetId().value());
      r.put("qualifier", l.relationship().qualifier());
      r.put("targetName", l.targetName());
      r.put("targetType", l.targetType());
      rels.add(r);
    }
    m.put("relationships", rels);
    return m;
  }

  static Map<String, Object> history(Page<CiHistoryEntry> page) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (CiHistoryEntry e : page.items()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("configurationStateId", e.configurationStateId());
      m.put("status", e.status().name());
      m.put("changeKind", e.change().kind().name());
      m.put("capturedAt", e.change().capturedAt().toString());
      var a = e.change().attribution();
      m.put(
          "attribution",
          a == null
              ? null
              : mapOf(
                  "user",
                  a.user(),
                  "taskId",
                  a.taskId(),
                  "taskType",
                  a.taskType(),
                  "time",
                  a.time() == null ? null : a.time().toString()));
      List<Map<String, Object>> changes = new ArrayList<>();
      for (PropertyChange c : e.change().changedProperties()) {
        changes.add(
            mapOf(
                "path",
                c.path(),
                "previousValue",
                c.previousValue(),
                "updatedValue",
                c.updatedValue(),
                "kind",
                c.kind().name()));
      }
      m.put("changedProperties", changes);
      items.add(m);
    }
    return Map.of("items", items, "nextCursor", page.nextCursor() == null ? "" : page.nextCursor());
  }

  static Map<String, Object> mapOf(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A webhook subscription, never its secret. */
  static Map<String, Object> webhook(dev.nimbus.webhooks.WebhookSubscription w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", w.id());
    m.put("url", w.url().toString());
    m.put("semanticTypes", w.semanticTypes().stream().map(Enum::name).sorted().toList());
    m.put("changeKinds", w.changeKinds().stream().map(Enum::name).sorted().toList());
    m.put("enabled", w.enabled());
    m.put("createdAt", w.createdAt().toString());
    return m;
  }
}
