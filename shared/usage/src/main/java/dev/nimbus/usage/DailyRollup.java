package dev.nimbus.usage;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One day's usage of everything in one compartment, tenant or tag, of one connection, split by the
 * node it ran on and the storage type of its disks (the two things a rate card prices apart), so a
 * rollup can be priced with per-node-class and per-storage-type rates. {@code value}: the pool
 * path, the tag, or {@code *} for the tenant.
 */
public record DailyRollup(
    String tenantId,
    Dimension dimension,
    String value,
    LocalDate day,
    String connectionId,
    String node,
    String storageType,
    UsageTotals totals) {

  public enum Dimension {
    TENANT,
    COMPARTMENT,
    TAG
  }

  public static final String ALL = "*";
  public static final String NONE = "-";

  public DailyRollup {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(dimension, "dimension");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(day, "day");
    Objects.requireNonNull(connectionId, "connectionId");
    node = node == null ? NONE : node;
    storageType = storageType == null ? NONE : storageType;
    Objects.requireNonNull(totals, "totals");
  }

  public Key key() {
    return new Key(tenantId, dimension, value, day, connectionId, node, storageType);
  }

  /** The identity of a rollup item. */
  public record Key(
      String tenantId,
      Dimension dimension,
      String value,
      LocalDate day,
      String connectionId,
      String node,
      String storageType) {}
}
