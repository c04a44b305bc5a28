package dev.nimbus.events.testing;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.cmdb.CiChange;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.cmdb.dynamodb.CiItemCodec;
import dev.nimbus.model.Attributes;
import dev.nimbus.model.Attribution;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.PropertyChange;
import dev.nimbus.model.Relationship;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test CIs: the VM {@code web-1} of {@code fixtures/web-1.json}, stored CIs with a last change, and
 * their DynamoDB items as the CMDB's own codec writes them (what a stream image holds).
 */
public final class TestCis {
  public static final String PROVIDER = "proxmox";
  public static final ConnectionRef LAB = new ConnectionRef("acme", "lab");
  public static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  public static final String UPID = "UPID:pve1:0000A1B2:0034C5D6:65E1A3F0:qmconfig:101:alice@pve:";
  public static final Attribution ALICE = new Attribution("alice@pve", UPID, "qmconfig", T0);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TestCis() {}

  /** web-1 as in the fixture, with {@code overrides} applied to its attributes. */
  public static ConfigurationItem web1(ConnectionRef connection, Map<String, Object> overrides) {
    Map<String, Object> root = read("fixtures/web-1.json");
    @SuppressWarnings("unchecked")
    Map<String, Object> attributes =
        new LinkedHashMap<>((Map<String, Object>) root.get("attributes"));
    attributes.putAll(overrides);
    List<Relationship> relationships = new ArrayList<>();
    for (Object o : (List<?>) root.get("relationships")) {
      Map<?, ?> r = (Map<?, ?>) o;
      relationships.add(
          Relationship.to(
              RelationshipKind.valueOf((String) r.get("kind")),
              PROVIDER,
              connection,
              (String) r.get("target"),
              (String) r.get("qualifier")));
    }
    return ConfigurationItem.discovered(
        PROVIDER,
        connection,
        (String) root.get("nativeKey"),
        SemanticType.valueOf((String) root.get("semanticType")),
        (String) root.get("providerType"),
        (String) root.get("name"),
        (String) root.get("scope"),
        Attributes.of(attributes),
        relationships);
  }

  /** web-1 with memory 2048 -> 4096 by alice, state 2. */
  public static StoredCi web1Updated() {
    ConfigurationItem before = web1(LAB, Map.of());
    ConfigurationItem after = web1(LAB, Map.of("memory", 4096)).withStatus(CiStatus.OK);
    List<PropertyChange> changes = after.changesSince(before);
    return stored(after, 2, new CiChange(ChangeKind.UPDATED, changes, ALICE, T0.plusSeconds(60)));
  }

  /** web-1 as first discovered, state 1. */
  public static StoredCi web1Created() {
    return stored(
        web1(LAB, Map.of()),
        1,
        new CiChange(ChangeKind.CREATED, List.of(), Attribution.UNKNOWN, T0));
  }

  public static StoredCi stored(ConfigurationItem ci, long stateId, CiChange change) {
    return new StoredCi(ci, stateId, ci.contentHash(), T0, change.capturedAt(), stateId, change);
  }

  /** The CI item the CMDB writes for {@code ci}: a stream record's NEW or OLD image. */
  public static Map<String, AttributeValue> image(StoredCi ci) {
    return CiItemCodec.encode(ci);
  }

  private static Map<String, Object> read(String resource) {
    try (InputStream in = TestCis.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing");
      }
      return JSON.readValue(in, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
