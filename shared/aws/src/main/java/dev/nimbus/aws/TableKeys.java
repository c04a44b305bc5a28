package dev.nimbus.aws;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The key scheme of the one Nimbus table, for every item type, in one place: attribute and index
 * names, the {@code itemType} values stream consumers switch on, and every partition, sort and
 * index key format. Repositories build their keys here and nowhere else.
 *
 * <pre>
 * item                 PK                   SK                                   GSI1PK / GSI1SK                     GSI2PK / GSI2SK
 * connection           TENANT#t             CONN#c                               SCHEDULE / due#t#c (when scheduled)
 * connection audit     TENANT#t             AUDIT#c#time#unique
 * webhook              TENANT#t             WEBHOOK#id
 * webhook failure      TENANT#t             WHFAIL#webhook#event
 * minted token         TENANT#t             MINTED#c                             (TTL: expiresAt)
 * wizard preview       TENANT#t             PREVIEW#id                           (TTL: expiresAt)
 * CI                   CONN#t#c             CI#nativeKey                         TENANT#t#TYPE#type / CONN#c#key     COMPARTMENT#t#c#pool / CONN#c#key
 * CI history           CI#t#c#ciId          S#stateId (12 digits)
 * discovery run        CONN#t#c             RUN#start (UTC, ms)
 * discovery state      CONN#t#c             STATE
 * drift record         CONN#t#c             DRIFT#stack#nativeKey
 * usage state page     CONN#t#c             USAGE#STATE#nnn
 * usage sample lease   CONN#t#c             USAGE#LEASE                          (TTL: expiresAt)
 * usage hour           USAGE#t#c#day        nativeKey#hour (UTC)
 * usage daily rollup   ROLLUP#t#dim#value   day#c#node#storageType
 * rate card            TENANT#t             RATECARD#c
 * </pre>
 *
 * Tenant-facing reads always go through a key that holds the tenant, so an id computed for another
 * tenant names an empty partition. Ids never contain {@code #}: tenant and connection ids are slugs
 * ({@code [a-z0-9-]}), so the joined keys cannot be confused.
 */
public final class TableKeys {
  public static final String PK = "PK";
  public static final String SK = "SK";
  public static final String GSI1 = "GSI1";
  public static final String GSI1PK = "GSI1PK";
  public static final String GSI1SK = "GSI1SK";
  public static final String GSI2 = "GSI2";
  public static final String GSI2PK = "GSI2PK";
  public static final String GSI2SK = "GSI2SK";
  public static final String ITEM_TYPE = "itemType";

  /** The TTL attribute of the table (epoch seconds). */
  public static final String EXPIRES_AT = "expiresAt";

  public static final String TYPE_CONNECTION = "CONNECTION";
  public static final String TYPE_CONNECTION_AUDIT = "CONNECTION_AUDIT";
  public static final String TYPE_WEBHOOK = "WEBHOOK";
  public static final String TYPE_WEBHOOK_FAILURE = "WEBHOOK_FAILURE";
  public static final String TYPE_CI = "CI";
  public static final String TYPE_CI_HISTORY = "CI_HISTORY";
  public static final String TYPE_RUN = "RUN";
  public static final String TYPE_DISCOVERY_STATE = "DISCOVERY_STATE";
  public static final String TYPE_DRIFT = "DRIFT";
  public static final String TYPE_USAGE_STATE = "USAGE_STATE";
  public static final String TYPE_USAGE_LEASE = "USAGE_LEASE";
  public static final String TYPE_USAGE_HOUR = "USAGE_HOUR";
  public static final String TYPE_USAGE_ROLLUP = "USAGE_ROLLUP";
  public static final String TYPE_RATE_CARD = "RATE_CARD";
  public static final String TYPE_MINTED_TOKEN = "MINTED_TOKEN";
  public static final String TYPE_PREVIEW = "PREVIEW";

  public static final String CONNECTION_PREFIX = "CONN#";
  public static final String CI_PREFIX = "CI#";
  public static final String RUN_PREFIX = "RUN#";
  public static final String WEBHOOK_PREFIX = "WEBHOOK#";
  public static final String WEBHOOK_FAILURE_PREFIX = "WHFAIL#";
  public static final String STATE_SK = "STATE";
  public static final String DRIFT_PREFIX = "DRIFT#";

  /** GSI1PK of every scheduled, enabled connection. */
  public static final String SCHEDULE_PARTITION = "SCHEDULE";

  /** Second precision and a fixed width, so due times sort as strings. */
  public static final DateTimeFormatter DUE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  // Fixed width (always three fraction digits) so that keys sort by time as strings:
  // Instant.toString() drops a zero fraction, and "00Z" would sort after "00.5Z".
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private TableKeys() {}

  // --- the tenant partition: connections, their audit trail, webhooks ---

  /** PK of a tenant's connections, audit entries, webhooks and kept webhook failures. */
  public static String tenantPk(String tenantId) {
    return "TENANT#" + id(tenantId);
  }

  /** SK of a connection: {@code CONN#c}; {@code connectionSk("")} is the prefix of all. */
  public static String connectionSk(String connectionId) {
    return CONNECTION_PREFIX + connectionId;
  }

  /** SK prefix of one connection's audit entries: {@code AUDIT#c#}. */
  public static String auditPrefix(String connectionId) {
    return "AUDIT#" + id(connectionId) + "#";
  }

  /** SK of an audit entry: {@code AUDIT#c#<time, ms>#<unique>}, so a trail sorts by time. */
  public static String auditSk(String connectionId, Instant at, String unique) {
    return auditPrefix(connectionId) + MILLIS.format(at) + "#" + unique;
  }

  /** GSI1SK of a scheduled connection: {@code <due, s>#t#c}, so a range query finds the due. */
  public static String dueSk(Instant due, String tenantId, String connectionId) {
    return DUE_TIME.format(due) + "#" + id(tenantId) + "#" + id(connectionId);
  }

  /** The upper bound of {@link #dueSk} for everything due at or before {@code now}. */
  public static String dueUpTo(Instant now) {
    // '~' sorts after every id character, so all refs due in this second match.
    return DUE_TIME.format(now) + "#~";
  }

  /** SK of a webhook subscription: {@code WEBHOOK#id}. */
  public static String webhookSk(String webhookId) {
    return WEBHOOK_PREFIX + id(webhookId);
  }

  /** SK of a kept webhook failure: {@code WHFAIL#webhook#event}. */
  public static String webhookFailureSk(String webhookId, String eventId) {
    return webhookFailurePrefix(webhookId) + id(eventId);
  }

  /** SK prefix of the kept failures of one webhook, or of all when {@code webhookId} is null. */
  public static String webhookFailurePrefix(String webhookId) {
    return webhookId == null
        ? WEBHOOK_FAILURE_PREFIX
        : WEBHOOK_FAILURE_PREFIX + id(webhookId) + "#";
  }

  /** SK of a token the wizard minted for connection {@code c} that no connection holds yet. */
  public static String mintedTokenSk(String connectionId) {
    return "MINTED#" + id(connectionId);
  }

  /** SK of a wizard preview started with {@code POST /api/preview}: {@code PREVIEW#id}. */
  public static String previewSk(String previewId) {
    return "PREVIEW#" + id(previewId);
  }

  // --- the connection partition: CIs, runs, discovery state ---

  /** PK of a connection's CIs, runs and discovery state: {@code CONN#t#c}. */
  public static String connectionPk(String tenantId, String connectionId) {
    return CONNECTION_PREFIX + id(tenantId) + "#" + id(connectionId);
  }

  /** SK of a CI: {@code CI#<nativeKey>}. */
  public static String ciSk(String nativeKey) {
    return CI_PREFIX + nativeKey;
  }

  /** SK of a run record: {@code RUN#} and the start instant (UTC, milliseconds). */
  public static String runSk(Instant startedAt) {
    return RUN_PREFIX + MILLIS.format(startedAt);
  }

  /**
   * PK of a CI's history: {@code CI#t#c#<ciId>}. Tenant and connection are in the key, so reading a
   * history needs both, and a CI id computed for another tenant (ids are hashes of guessable names)
   * names an empty partition.
   */
  public static String historyPk(String tenantId, String connectionId, String ciId) {
    return CI_PREFIX + id(tenantId) + "#" + id(connectionId) + "#" + id(ciId);
  }

  /** SK of a history entry: {@code S#} and the state id in 12 digits, so they sort. */
  public static String historySk(long configurationStateId) {
    return "S#" + String.format("%012d", configurationStateId);
  }

  /**
   * SK of a drift record: {@code DRIFT#<stack>#<nativeKey>}, one per stack ({@code
   * <project>/<stack>}, or {@code -} for CIs no stack manages) and resource, in the connection's
   * partition, so a connection's drift is one Query and a stack's a Query of its prefix.
   */
  public static String driftSk(String stack, String nativeKey) {
    return driftPrefix(stack) + nativeKey;
  }

  /** SK prefix of one stack's drift records, or of all of a connection when null. */
  public static String driftPrefix(String stack) {
    return stack == null ? DRIFT_PREFIX : DRIFT_PREFIX + id(stack) + "#";
  }

  /** GSI1PK of a live CI: {@code TENANT#t#TYPE#<semantic type>}. */
  public static String typePk(String tenantId, String semanticType) {
    return tenantPk(tenantId) + "#TYPE#" + semanticType;
  }

  /**
   * GSI2PK of a live pool member: {@code COMPARTMENT#t#c#<ciId of the pool>}; a pool and its
   * members always belong to one connection, and the tenant in the key keeps other tenants out.
   */
  public static String compartmentPk(String tenantId, String connectionId, String poolCiId) {
    return "COMPARTMENT#" + id(tenantId) + "#" + id(connectionId) + "#" + id(poolCiId);
  }

  /** GSI1SK and GSI2SK of a CI: {@code CONN#c#<nativeKey>}. */
  public static String ciIndexSk(String connectionId, String nativeKey) {
    return CONNECTION_PREFIX + id(connectionId) + "#" + nativeKey;
  }

  // --- usage and showback ---

  /** SK prefix of a connection's usage state pages (in the connection partition). */
  public static final String USAGE_STATE_PREFIX = "USAGE#STATE#";

  /** SK of usage state page {@code n}: {@code USAGE#STATE#nnn}, so pages sort. */
  public static String usageStateSk(int page) {
    return USAGE_STATE_PREFIX + String.format("%03d", page);
  }

  /**
   * SK of a connection's usage sample lease (in the connection partition). Not under {@link
   * #USAGE_STATE_PREFIX}: reading the state pages must not find it.
   */
  public static final String USAGE_LEASE_SK = "USAGE#LEASE";

  /**
   * PK of a connection's hourly usage of one UTC day: {@code USAGE#t#c#<yyyy-MM-dd>}. A day per
   * partition spreads an hour's burst of writes and lets a range be read day by day.
   */
  public static String usageDayPk(String tenantId, String connectionId, java.time.LocalDate day) {
    return "USAGE#" + id(tenantId) + "#" + id(connectionId) + "#" + day;
  }

  /** SK of one CI's hour: {@code <nativeKey>#<hour, UTC, seconds>}. */
  public static String usageHourSk(String nativeKey, Instant hour) {
    return nativeKey + "#" + DUE_TIME.format(hour);
  }

  /** PK of a tenant's daily rollups of one dimension value: {@code ROLLUP#t#<dim>#<value>}. */
  public static String rollupPk(String tenantId, String dimension, String value) {
    return "ROLLUP#" + id(tenantId) + "#" + id(dimension) + "#" + id(value);
  }

  /** SK of a rollup: {@code <yyyy-MM-dd>#c#<node>#<storage type>}, so a day range is one query. */
  public static String rollupSk(
      java.time.LocalDate day, String connectionId, String node, String storageType) {
    return day + "#" + id(connectionId) + "#" + id(node) + "#" + id(storageType);
  }

  /** SK of a connection's rate card (in the tenant partition): {@code RATECARD#c}. */
  public static String rateCardSk(String connectionId) {
    return "RATECARD#" + id(connectionId);
  }

  private static String id(String value) {
    Objects.requireNonNull(value, "key part");
    if (value.indexOf('#') >= 0) {
      throw new IllegalArgumentException("a key part cannot contain '#': " + value);
    }
    return value;
  }
}
