package dev.nimbus.usage;

import dev.nimbus.model.ConnectionRef;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A connection's prices, exact decimals in one currency: per vCPU-hour, per memory GiB-hour, per
 * GB-month of disk by storage type ({@code *} for any other type), per network GB (in plus out).
 * Nodes can be put into classes ({@code nodeClasses}: node name to class) whose {@code classRates}
 * override the base rates; a class rate that is absent falls back to the base.
 */
public record RateCard(
    ConnectionRef connection,
    String currency,
    Rates base,
    Map<String, String> nodeClasses,
    Map<String, Rates> classRates,
    Instant updatedAt,
    long version) {

  /** One set of prices; null where a class override does not set it. */
  public record Rates(
      BigDecimal vcpuHour,
      BigDecimal memoryGibHour,
      Map<String, BigDecimal> storageGbMonth,
      BigDecimal networkGb) {
    public Rates {
      storageGbMonth = storageGbMonth == null ? Map.of() : Map.copyOf(storageGbMonth);
    }
  }

  public RateCard {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(base, "base");
    nodeClasses = nodeClasses == null ? Map.of() : Map.copyOf(nodeClasses);
    classRates = classRates == null ? Map.of() : Map.copyOf(classRates);
  }

  /** The rates that apply on {@code node} (null: the base). */
  public Rates ratesFor(String node) {
    String cls = node == null ? null : nodeClasses.get(node);
    Rates o = cls == null ? null : classRates.get(cls);
    if (o == null) {
      return base;
    }
    Map<String, BigDecimal> storage = new java.util.HashMap<>(base.storageGbMonth());
    storage.putAll(o.storageGbMonth());
    return new Rates(
        o.vcpuHour() != null ? o.vcpuHour() : base.vcpuHour(),
        o.memoryGibHour() != null ? o.memoryGibHour() : base.memoryGibHour(),
        storage,
        o.networkGb() != null ? o.networkGb() : base.networkGb());
  }

  /** The GB-month price of a storage type: its own, else {@code *}, else zero. */
  public static BigDecimal storagePrice(Rates r, String storageType) {
    BigDecimal p = storageType == null ? null : r.storageGbMonth().get(storageType);
    if (p == null) {
      p = r.storageGbMonth().get("*");
    }
    return p == null ? BigDecimal.ZERO : p;
  }
}
