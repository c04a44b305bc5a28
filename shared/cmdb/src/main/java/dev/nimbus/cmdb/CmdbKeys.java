package dev.nimbus.cmdb;

import dev.nimbus.aws.TableKeys;
import dev.nimbus.model.CiId;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Relationship;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.time.Instant;
import java.util.Optional;

/**
 * The CMDB's keys in the domain's types: each method hands the ids to {@link TableKeys}, where
 * every key format of the table is defined, plus the relationship index entries and compartment
 * membership the CMDB stores.
 */
public final class CmdbKeys {
  public static final String ITEM_TYPE = TableKeys.ITEM_TYPE;
  public static final String TYPE_CI = TableKeys.TYPE_CI;
  public static final String TYPE_CI_HISTORY = TableKeys.TYPE_CI_HISTORY;
  public static final String TYPE_RUN = TableKeys.TYPE_RUN;
  public static final String TYPE_DISCOVERY_STATE = TableKeys.TYPE_DISCOVERY_STATE;

  public static final String CI_PREFIX = TableKeys.CI_PREFIX;
  public static final String RUN_PREFIX = TableKeys.RUN_PREFIX;
  public static final String STATE_SK = TableKeys.STATE_SK;

  private CmdbKeys() {}

  /** PK of a connection's CIs, runs and discovery state. */
  public static String connectionPk(ConnectionRef connection) {
    return TableKeys.connectionPk(connection.tenantId(), connection.connectionId());
  }

  /** SK of a CI. */
  public static String ciSk(String nativeKey) {
    return TableKeys.ciSk(nativeKey);
  }

  /** PK of a CI's history (tenant and connection in the key: see {@link TableKeys#historyPk}). */
  public static String historyPk(ConnectionRef connection, CiId ciId) {
    return TableKeys.historyPk(connection.tenantId(), connection.connectionId(), ciId.value());
  }

  /** SK of a history entry. */
  public static String historySk(long configurationStateId) {
    return TableKeys.historySk(configurationStateId);
  }

  /** SK of a run record. */
  public static String runSk(Instant startedAt) {
    return TableKeys.runSk(startedAt);
  }

  /** GSI1PK of a live CI. */
  public static String typePk(String tenantId, SemanticType type) {
    return TableKeys.typePk(tenantId, type.name());
  }

  /** GSI2PK of a live pool member (see {@link TableKeys#compartmentPk}). */
  public static String compartmentPk(ConnectionRef connection, CiId compartment) {
    return TableKeys.compartmentPk(
        connection.tenantId(), connection.connectionId(), compartment.value());
  }

  /** GSI1SK and GSI2SK of a CI. */
  public static String connectionSk(ConnectionRef connection, String nativeKey) {
    return TableKeys.ciIndexSk(connection.connectionId(), nativeKey);
  }

  /** One entry of a CI's relationship index: {@code RUNS_ON node/pve1}. */
  public static String edge(RelationshipKind kind, String targetNativeKey) {
    return kind.name() + " " + targetNativeKey;
  }

  /** The compartment (pool) a CI is a member of; Proxmox puts a guest in at most one pool. */
  public static Optional<CiId> compartmentOf(ConfigurationItem ci) {
    return ci.relationships(RelationshipKind.MEMBER_OF).stream()
        .map(Relationship::targetId)
        .findFirst();
  }
}
