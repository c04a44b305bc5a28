package dev.nimbus.cmdb;

import dev.nimbus.model.CiId;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Relationship;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The key scheme of the CMDB's items in the one table (see the table's README): partition and sort
 * keys, the GSI keys of CI items and the {@code itemType} values stream consumers switch on.
 */
public final class CmdbKeys {
  public static final String ITEM_TYPE = "itemType";
  public static final String TYPE_CI = "CI";
  public static final String TYPE_CI_HISTORY = "CI_HISTORY";
  public static final String TYPE_RUN = "RUN";
  public static final String TYPE_DISCOVERY_STATE = "DISCOVERY_STATE";

  public static final String CI_PREFIX = "CI#";
  public static final String RUN_PREFIX = "RUN#";
  public static final String STATE_SK = "STATE";

  // Fixed width (always three fraction digits) so that run keys sort by time as strings:
  // Instant.toString() drops a zero fraction, and "00Z" would sort after "00.5Z".
  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private CmdbKeys() {}

  /** PK of a connection's CIs, runs and discovery state: {@code CONN#t#c}. */
  public static String connectionPk(ConnectionRef connection) {
    return "CONN#" + connection.tenantId() + "#" + connection.connectionId();
  }

  /** SK of a CI: {@code CI#<nativeKey>}. */
  public static String ciSk(String nativeKey) {
    return CI_PREFIX + nativeKey;
  }

  /**
   * PK of a CI's history: {@code CI#t#c#<ciId>}. Tenant and connection are in the key, so reading a
   * history needs both, and a CI id computed for another tenant (ids are hashes of guessable names)
   * names an empty partition.
   */
  public static String historyPk(ConnectionRef connection, CiId ciId) {
    return CI_PREFIX + connection.tenantId() + "#" + connection.connectionId() + "#" + ciId.value();
  }

  /** SK of a history entry: {@code S#} and the state id in 12 digits, so they sort. */
  public static String historySk(long configurationStateId) {
    return "S#" + String.format("%012d", configurationStateId);
  }

  /** SK of a run record: {@code RUN#} and the start instant (UTC, milliseconds). */
  public static String runSk(Instant startedAt) {
    return RUN_PREFIX + RUN_TIME.format(startedAt);
  }

  /** GSI1PK of a CI: {@code TENANT#t#TYPE#<semantic type>}. */
  public static String typePk(String tenantId, SemanticType type) {
    return "TENANT#" + tenantId + "#TYPE#" + type.name();
  }

  /**
   * GSI2PK of a pool member: {@code COMPARTMENT#t#c#<ciId of the pool>}; a pool and its members
   * always belong to one connection, and the tenant in the key keeps other tenants out.
   */
  public static String compartmentPk(ConnectionRef connection, CiId compartment) {
    return "COMPARTMENT#"
        + connection.tenantId()
        + "#"
        + connection.connectionId()
        + "#"
        + compartment.value();
  }

  /** GSI1SK and GSI2SK of a CI: {@code CONN#c#<nativeKey>}. */
  public static String connectionSk(ConnectionRef connection, String nativeKey) {
    return "CONN#" + connection.connectionId() + "#" + nativeKey;
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
