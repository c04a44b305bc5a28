package dev.nimbus.connections;

import dev.nimbus.aws.TableKeys;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps connections and audit entries to DynamoDB items and back, with the keys of the shared table
 * scheme ({@link TableKeys}): {@code TENANT#t / CONN#c} and {@code TENANT#t /
 * AUDIT#c#<instant>#<uuid8>}. The repository stores the maps as Enhanced Client documents. A
 * scheduled connection also carries {@code GSI1PK = SCHEDULE}, {@code GSI1SK = <next due
 * instant>#t#c}.
 */
final class ConnectionItems {
  static final String PK = TableKeys.PK;
  static final String SK = TableKeys.SK;
  static final String GSI1PK = TableKeys.GSI1PK;
  static final String GSI1SK = TableKeys.GSI1SK;
  static final String ITEM_TYPE = TableKeys.ITEM_TYPE;
  static final String VERSION = "version";
  static final String CONNECTION = TableKeys.TYPE_CONNECTION;
  static final String AUDIT = TableKeys.TYPE_CONNECTION_AUDIT;

  private ConnectionItems() {}

  static Map<String, AttributeValue> key(ConnectionRef ref) {
    return Map.of(
        PK,
        s(TableKeys.tenantPk(ref.tenantId())),
        SK,
        s(TableKeys.connectionSk(ref.connectionId())));
  }

  static String dueKey(Instant due, ConnectionRef ref) {
    return TableKeys.dueSk(due, ref.tenantId(), ref.connectionId());
  }

  static Map<String, AttributeValue> toItem(Connection c) {
    Map<String, AttributeValue> item = new HashMap<>(key(c.ref()));
    item.put(ITEM_TYPE, s(CONNECTION));
    item.put("tenantId", s(c.ref().tenantId()));
    item.put("connectionId", s(c.ref().connectionId()));
    item.put("name", s(c.name()));
    item.put("endpointHost", s(c.endpoint().host()));
    item.put("endpointPort", n(c.endpoint().port()));
    c.endpoint().pathPrefix().ifPresent(p -> item.put("endpointPathPrefix", s(p)));
    c.proxy()
        .ifPresent(
            p ->
                item.put(
                    "proxy",
                    m(
                        Map.of(
                            "type",
                            s(p.type().name()),
                            "host",
                            s(p.host()),
                            "port",
                            n(p.port())))));
    Map<String, AttributeValue> headers = new HashMap<>();
    c.secretHeaders().forEach((name, enc) -> headers.put(name, encrypted(enc)));
    item.put("secretHeaders", m(headers));
    Map<String, AttributeValue> pins = new HashMap<>();
    c.tls().pinnedFingerprints().forEach((node, fp) -> pins.put(node, s(fp)));
    item.put("tlsPinnedFingerprints", m(pins));
    c.tls().caPem().ifPresent(pem -> item.put("tlsCaPem", s(pem)));
    item.put("tlsSystemTrustStore", AttributeValue.fromBool(c.tls().useSystemTrustStore()));
    item.put("tokenId", s(c.tokenId()));
    item.put("tokenSecret", encrypted(c.tokenSecret()));
    switch (c.scope()) {
      case DiscoveryScope.Everything e -> item.put("scopeKind", s("EVERYTHING"));
      case DiscoveryScope.Compartments p -> {
        item.put("scopeKind", s("POOLS"));
        item.put("scopeNames", AttributeValue.fromSs(List.copyOf(p.names())));
      }
      case DiscoveryScope.Hosts h -> {
        item.put("scopeKind", s("NODES"));
        item.put("scopeNames", AttributeValue.fromSs(List.copyOf(h.names())));
      }
    }
    item.put("schedule", s(c.schedule().expression()));
    item.put("status", s(c.status().name()));
    c.lastRun().ifPresent(r -> item.put("lastRun", runSummary(r)));
    c.nextDueAt()
        .ifPresent(
            due -> {
              item.put("nextDueAt", s(due.toString()));
              // Sparse index: only scheduled, enabled connections are in it.
              if (c.status() != ConnectionStatus.DISABLED) {
                item.put(GSI1PK, s(TableKeys.SCHEDULE_PARTITION));
                item.put(GSI1SK, s(dueKey(due, c.ref())));
              }
            });
    item.put("createdAt", s(c.createdAt().toString()));
    item.put("createdBy", s(c.createdBy()));
    item.put("updatedAt", s(c.updatedAt().toString()));
    item.put("updatedBy", s(c.updatedBy()));
    item.put(VERSION, n(c.version()));
    return item;
  }

  static Connection fromItem(Map<String, AttributeValue> item) {
    ConnectionRef ref = new ConnectionRef(str(item, "tenantId"), str(item, "connectionId"));
    Endpoint endpoint =
        new Endpoint(
            str(item, "endpointHost"),
            Integer.parseInt(item.get("endpointPort").n()),
            Optional.ofNullable(item.get("endpointPathPrefix")).map(AttributeValue::s));
    Optional<TunnelProxy> proxy =
        Optional.ofNullable(item.get("proxy"))
            .map(AttributeValue::m)
            .map(
                p ->
                    new TunnelProxy(
                        ProxyType.valueOf(p.get("type").s()),
                        p.get("host").s(),
                        Integer.parseInt(p.get("port").n())));
    TreeMap<String, EncryptedSecret> headers = new TreeMap<>();
    item.getOrDefault("secretHeaders", m(Map.of()))
        .m()
        .forEach((name, v) -> headers.put(name, encrypted(v)));
    TreeMap<String, String> pins = new TreeMap<>();
    item.getOrDefault("tlsPinnedFingerprints", m(Map.of()))
        .m()
        .forEach((node, v) -> pins.put(node, v.s()));
    TlsTrust tls =
        new TlsTrust(
            pins,
            Optional.ofNullable(item.get("tlsCaPem")).map(AttributeValue::s),
            Boolean.TRUE.equals(item.get("tlsSystemTrustStore").bool()));
    DiscoveryScope scope =
        switch (str(item, "scopeKind")) {
          case "POOLS" ->
              new DiscoveryScope.Compartments(new TreeSet<>(item.get("scopeNames").ss()));
          case "NODES" -> new DiscoveryScope.Hosts(new TreeSet<>(item.get("scopeNames").ss()));
          default -> new DiscoveryScope.Everything();
        };
    return new Connection(
        ref,
        str(item, "name"),
        endpoint,
        proxy,
        headers,
        tls,
        str(item, "tokenId"),
        encrypted(item.get("tokenSecret")),
        scope,
        new Schedule(str(item, "schedule")),
        ConnectionStatus.valueOf(str(item, "status")),
        Optional.ofNullable(item.get("lastRun")).map(ConnectionItems::runSummary),
        Optional.ofNullable(item.get("nextDueAt")).map(v -> Instant.parse(v.s())),
        Instant.parse(str(item, "createdAt")),
        str(item, "createdBy"),
        Instant.parse(str(item, "updatedAt")),
        str(item, "updatedBy"),
        Long.parseLong(item.get(VERSION).n()));
  }

  static Map<String, AttributeValue> toItem(AuditEntry e, String uniqueSuffix) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, s(TableKeys.tenantPk(e.ref().tenantId())));
    item.put(
        SK,
        s(
            TableKeys.auditSk(
                e.ref().connectionId(), e.at().truncatedTo(ChronoUnit.MILLIS), uniqueSuffix)));
    item.put(ITEM_TYPE, s(AUDIT));
    item.put("tenantId", s(e.ref().tenantId()));
    item.put("connectionId", s(e.ref().connectionId()));
    item.put("at", s(e.at().toString()));
    item.put("actor", s(e.actor()));
    item.put("action", s(e.action().name()));
    item.put(
        "changedFields",
        AttributeValue.fromL(e.changedFields().stream().map(ConnectionItems::s).toList()));
    item.put(VERSION, n(e.version()));
    return item;
  }

  static AuditEntry auditFromItem(Map<String, AttributeValue> item) {
    return new AuditEntry(
        new ConnectionRef(str(item, "tenantId"), str(item, "connectionId")),
        Instant.parse(str(item, "at")),
        str(item, "actor"),
        AuditAction.valueOf(str(item, "action")),
        item.get("changedFields").l().stream().map(AttributeValue::s).toList(),
        Long.parseLong(item.get(VERSION).n()));
  }

  static AttributeValue encrypted(EncryptedSecret e) {
    return m(
        Map.of(
            "v", n(e.formatVersion()),
            "keyId", s(e.keyId()),
            "dataKey", AttributeValue.fromB(SdkBytes.fromByteArray(e.encryptedDataKey())),
            "iv", AttributeValue.fromB(SdkBytes.fromByteArray(e.iv())),
            "ciphertext", AttributeValue.fromB(SdkBytes.fromByteArray(e.ciphertext()))));
  }

  static EncryptedSecret encrypted(AttributeValue v) {
    Map<String, AttributeValue> e = v.m();
    return new EncryptedSecret(
        Integer.parseInt(e.get("v").n()),
        e.get("keyId").s(),
        e.get("dataKey").b().asByteArray(),
        e.get("iv").b().asByteArray(),
        e.get("ciphertext").b().asByteArray());
  }

  private static AttributeValue runSummary(RunSummary r) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put("startedAt", s(r.startedAt().toString()));
    m.put("finishedAt", s(r.finishedAt().toString()));
    m.put("succeeded", AttributeValue.fromBool(r.succeeded()));
    m.put("itemCount", n(r.itemCount()));
    r.problem().ifPresent(p -> m.put("problem", s(p)));
    return m(m);
  }

  private static RunSummary runSummary(AttributeValue v) {
    Map<String, AttributeValue> m = v.m();
    return new RunSummary(
        Instant.parse(m.get("startedAt").s()),
        Instant.parse(m.get("finishedAt").s()),
        m.get("succeeded").bool(),
        Integer.parseInt(m.get("itemCount").n()),
        Optional.ofNullable(m.get("problem")).map(AttributeValue::s));
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private static AttributeValue m(Map<String, AttributeValue> value) {
    return AttributeValue.fromM(value);
  }

  private static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.s() == null) {
      throw new IllegalStateException("stored connection item lacks attribute " + name);
    }
    return v.s();
  }
}
