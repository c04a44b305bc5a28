package dev.nimbus.cmdb.dynamodb;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.cmdb.CiChange;
import dev.nimbus.cmdb.CiHistoryEntry;
import dev.nimbus.cmdb.CmdbKeys;
import dev.nimbus.cmdb.DiscoveryState;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.model.Attribution;
import dev.nimbus.model.CiId;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.PropertyChange;
import dev.nimbus.model.Relationship;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/** Maps the domain records to the storage items and back. */
final class ItemMapper {
  /**
   * Attribute JSON above this size is stored gzip-compressed. A Proxmox guest with 30 NICs, 30
   * disks and an 8 KiB description is about 20 KB of JSON, far below; the threshold only guards the
   * 400 KB item limit against pathological attributes.
   */
  static final int GZIP_ABOVE_BYTES = 100 * 1024;

  static final TableSchema<CiItem> CI_SCHEMA = TableSchema.fromImmutableClass(CiItem.class);
  static final TableSchema<CiHistoryItem> HISTORY_SCHEMA =
      TableSchema.fromImmutableClass(CiHistoryItem.class);
  static final TableSchema<RunItem> RUN_SCHEMA = TableSchema.fromImmutableClass(RunItem.class);
  static final TableSchema<DiscoveryStateItem> STATE_SCHEMA =
      TableSchema.fromImmutableClass(DiscoveryStateItem.class);

  private ItemMapper() {}

  /** The CI item with {@code version} in its version attribute (null for a new item). */
  static CiItem toItem(StoredCi stored, Long version) {
    return toItem(stored, version, null);
  }

  /** As {@link #toItem(StoredCi, Long)}, naming the write that stores it. */
  static CiItem toItem(StoredCi stored, Long version, String writeId) {
    ConfigurationItem ci = stored.item();
    ConnectionRef c = ci.connection();
    boolean live = ci.status().isLive();
    String json = ci.attributes().toCanonicalJson();
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    boolean gzip = utf8.length > GZIP_ABOVE_BYTES;
    Set<String> index = new TreeSet<>();
    List<RelationshipItem> relationships = new ArrayList<>();
    for (Relationship r : ci.relationships()) {
      index.add(CmdbKeys.edge(r.kind(), r.targetNativeKey()));
      relationships.add(
          new RelationshipItem(
              r.kind().name(),
              r.targetId().value(),
              r.targetNativeKey(),
              r.qualifier().isEmpty() ? null : r.qualifier()));
    }
    String compartmentPk =
        live
            ? CmdbKeys.compartmentOf(ci).map(pool -> CmdbKeys.compartmentPk(c, pool)).orElse(null)
            : null;
    String connectionSk = CmdbKeys.connectionSk(c, ci.nativeKey());
    return CiItem.builder()
        .pk(CmdbKeys.connectionPk(c))
        .sk(CmdbKeys.ciSk(ci.nativeKey()))
        .itemType(CmdbKeys.TYPE_CI)
        // Sparse indexes: a deleted CI drops out of the type and compartment queries.
        .gsi1pk(live ? CmdbKeys.typePk(c.tenantId(), ci.semanticType()) : null)
        .gsi1sk(live ? connectionSk : null)
        .gsi2pk(compartmentPk)
        .gsi2sk(compartmentPk == null ? null : connectionSk)
        .ciId(ci.id().value())
        .tenantId(c.tenantId())
        .connectionId(c.connectionId())
        .provider(ci.provider())
        .nativeKey(ci.nativeKey())
        .semanticType(ci.semanticType().name())
        .providerType(ci.providerType())
        .name(ci.name())
        .scope(ci.scope())
        .attributes(gzip ? null : json)
        .attributesGzip(gzip ? SdkBytes.fromByteArray(gzip(utf8)) : null)
        .relationships(relationships)
        // DynamoDB rejects empty sets: no relationships means no index attribute.
        .relationshipIndex(index.isEmpty() ? null : index)
        .status(ci.status().name())
        .configurationStateId(stored.configurationStateId())
        .contentHash(stored.contentHash())
        .firstSeen(stored.firstSeen())
        .lastChanged(stored.lastChanged())
        .version(version)
        .lastChange(toItem(stored.lastChange()))
        .writeId(writeId)
        .build();
  }

  static StoredCi toStoredCi(CiItem item) {
    ConnectionRef c = new ConnectionRef(item.tenantId(), item.connectionId());
    String json =
        item.attributes() != null
            ? item.attributes()
            : new String(gunzip(item.attributesGzip().asByteArray()), StandardCharsets.UTF_8);
    List<Relationship> relationships = new ArrayList<>();
    if (item.relationships() != null) {
      for (RelationshipItem r : item.relationships()) {
        relationships.add(
            new Relationship(
                RelationshipKind.valueOf(r.kind()),
                new CiId(r.targetId()),
                r.targetNativeKey(),
                r.qualifier()));
      }
    }
    ConfigurationItem ci =
        new ConfigurationItem(
            new CiId(item.ciId()),
            item.provider(),
            c,
            item.nativeKey(),
            SemanticType.valueOf(item.semanticType()),
            item.providerType(),
            item.name(),
            item.scope(),
            Json.readAttributes(json),
            relationships,
            CiStatus.valueOf(item.status()));
    return new StoredCi(
        ci,
        item.configurationStateId(),
        item.contentHash(),
        item.firstSeen(),
        item.lastChanged(),
        item.version(),
        toChange(item.lastChange()));
  }

  static CiHistoryItem toItem(CiHistoryEntry h) {
    return CiHistoryItem.builder()
        .pk(CmdbKeys.historyPk(h.connection(), h.ciId()))
        .sk(CmdbKeys.historySk(h.configurationStateId()))
        .itemType(CmdbKeys.TYPE_CI_HISTORY)
        .ciId(h.ciId().value())
        .tenantId(h.connection().tenantId())
        .connectionId(h.connection().connectionId())
        .nativeKey(h.nativeKey())
        .configurationStateId(h.configurationStateId())
        .status(h.status().name())
        .change(toItem(h.change()))
        .expiresAt(h.expiresAt().getEpochSecond())
        .build();
  }

  static CiHistoryEntry toEntry(CiHistoryItem item) {
    return new CiHistoryEntry(
        new CiId(item.ciId()),
        new ConnectionRef(item.tenantId(), item.connectionId()),
        item.nativeKey(),
        item.configurationStateId(),
        CiStatus.valueOf(item.status()),
        toChange(item.change()),
        Instant.ofEpochSecond(item.expiresAt()));
  }

  static RunItem toItem(RunRecord r, Duration retention) {
    return RunItem.builder()
        .pk(CmdbKeys.connectionPk(r.connection()))
        .sk(CmdbKeys.runSk(r.startedAt()))
        .itemType(CmdbKeys.TYPE_RUN)
        .tenantId(r.connection().tenantId())
        .connectionId(r.connection().connectionId())
        .startedAt(r.startedAt())
        .finishedAt(r.finishedAt())
        .durationMillis(r.duration().toMillis())
        .created(r.created())
        .updated(r.updated())
        .recovered(r.recovered())
        .deleted(r.deleted())
        .unchanged(r.unchanged())
        .unreachable(r.unreachable())
        .providerCalls(r.providerCalls())
        .dynamoDbWriteRequests(r.dynamoDbWriteRequests())
        .dynamoDbWrittenItems(r.dynamoDbWrittenItems())
        .partialScopes(r.partialScopes().isEmpty() ? null : r.partialScopes())
        .errors(r.errors())
        .expiresAt(r.startedAt().plus(retention).getEpochSecond())
        .build();
  }

  static RunRecord toRun(RunItem item) {
    return new RunRecord(
        new ConnectionRef(item.tenantId(), item.connectionId()),
        item.startedAt(),
        item.finishedAt(),
        item.created(),
        item.updated(),
        item.recovered(),
        item.deleted(),
        item.unchanged(),
        item.unreachable(),
        item.providerCalls(),
        item.dynamoDbWriteRequests(),
        item.dynamoDbWrittenItems(),
        item.partialScopes(),
        item.errors());
  }

  static DiscoveryStateItem toItem(DiscoveryState s, Long version) {
    return DiscoveryStateItem.builder()
        .pk(CmdbKeys.connectionPk(s.connection()))
        .sk(CmdbKeys.STATE_SK)
        .itemType(CmdbKeys.TYPE_DISCOVERY_STATE)
        .tenantId(s.connection().tenantId())
        .connectionId(s.connection().connectionId())
        .providerState(s.providerState())
        .capturedAt(s.capturedAt())
        .version(version)
        .build();
  }

  static DiscoveryState toState(DiscoveryStateItem item) {
    return new DiscoveryState(
        new ConnectionRef(item.tenantId(), item.connectionId()),
        item.providerState() == null ? null : new java.util.TreeMap<>(item.providerState()),
        item.capturedAt(),
        item.version());
  }

  static ChangeItem toItem(CiChange change) {
    List<ChangedPropertyItem> properties = new ArrayList<>();
    for (PropertyChange p : change.changedProperties()) {
      properties.add(
          new ChangedPropertyItem(
              p.path(),
              p.kind().name(),
              Json.write(p.previousValue()),
              Json.write(p.updatedValue())));
    }
    Attribution a = change.attribution();
    return ChangeItem.builder()
        .changeType(change.kind().name())
        .changedProperties(properties)
        .attribution(
            a.equals(Attribution.UNKNOWN)
                ? null
                : new AttributionItem(a.user(), a.taskId(), a.taskType(), a.time()))
        .capturedAt(change.capturedAt())
        .build();
  }

  static CiChange toChange(ChangeItem item) {
    List<PropertyChange> properties = new ArrayList<>();
    if (item.changedProperties() != null) {
      for (ChangedPropertyItem p : item.changedProperties()) {
        properties.add(
            new PropertyChange(
                p.path(),
                Json.readValue(p.previousValue()),
                Json.readValue(p.updatedValue()),
                PropertyChange.Kind.valueOf(p.changeType())));
      }
    }
    AttributionItem a = item.attribution();
    return new CiChange(
        ChangeKind.valueOf(item.changeType()),
        properties,
        a == null
            ? Attribution.UNKNOWN
            : new Attribution(a.user(), a.taskId(), a.taskType(), a.time()),
        item.capturedAt());
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] data) {
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("stored attributes are not gzip", e);
    }
  }
}
