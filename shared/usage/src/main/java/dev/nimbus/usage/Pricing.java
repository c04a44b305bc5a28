package dev.nimbus.usage;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The showback rules. CPU and memory cost {@code max(allocated, used) x rate} (a guest that bursts
 * above its allocation pays for what it used; one below pays for what it holds); disk costs its
 * allocation at the storage type's GB-month rate (730 hours a month); network costs bytes in plus
 * out per GB (10^9 bytes). A stopped guest has no CPU or memory allocation while stopped (the
 * sampler counts those only while it runs), so it costs its storage only. Idle capacity of a node
 * is its capacity minus what its guests were allocated, priced at the node's rates.
 */
public final class Pricing {
  static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);
  private static final MathContext MC = MathContext.DECIMAL128;

  private Pricing() {}

  public static Cost guest(UsageTotals u, RateCard.Rates rates, String storageType) {
    BigDecimal vcpu = dec(Math.max(u.vcpuHoursAllocated(), u.vcpuHoursUsed()));
    BigDecimal mem = dec(Math.max(u.memoryGibHoursAllocated(), u.memoryGibHoursUsed()));
    BigDecimal disk =
        dec(u.diskGbHoursAllocated())
            .multiply(RateCard.storagePrice(rates, storageType), MC)
            .divide(HOURS_PER_MONTH, MC);
    BigDecimal net = dec((u.networkInBytes() + (double) u.networkOutBytes()) / UsageTotals.GB);
    return new Cost(
        vcpu.multiply(nz(rates.vcpuHour()), MC),
        mem.multiply(nz(rates.memoryGibHour()), MC),
        disk,
        net.multiply(nz(rates.networkGb()), MC));
  }

  /** Idle capacity: vCPU-hours and GiB-hours of the node not allocated to a guest, priced. */
  public static Cost idle(double idleVcpuHours, double idleGibHours, RateCard.Rates rates) {
    return new Cost(
        dec(Math.max(0, idleVcpuHours)).multiply(nz(rates.vcpuHour()), MC),
        dec(Math.max(0, idleGibHours)).multiply(nz(rates.memoryGibHour()), MC),
        BigDecimal.ZERO,
        BigDecimal.ZERO);
  }

  /**
   * A measured quantity as a decimal: the sums are doubles of seconds and bytes, so they are
   * rounded to 9 decimal places of their unit before exact arithmetic with the prices.
   */
  static BigDecimal dec(double v) {
    return BigDecimal.valueOf(v).setScale(9, java.math.RoundingMode.HALF_EVEN);
  }

  private static BigDecimal nz(BigDecimal v) {
    return v == null ? BigDecimal.ZERO : v;
  }
}
