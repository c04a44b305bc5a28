package dev.nimbus.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** A cost split by what was priced, exact (unrounded) decimals in the rate card's currency. */
public record Cost(BigDecimal cpu, BigDecimal memory, BigDecimal disk, BigDecimal network) {
  public static final Cost ZERO =
      new Cost(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

  public BigDecimal total() {
    return cpu.add(memory).add(disk).add(network);
  }

  public Cost plus(Cost o) {
    return new Cost(cpu.add(o.cpu), memory.add(o.memory), disk.add(o.disk), network.add(o.network));
  }

  /** Rounded to the currency's minor unit (half-even, as accounting does), for display. */
  public Cost rounded(String currency) {
    int digits = Math.max(0, java.util.Currency.getInstance(currency).getDefaultFractionDigits());
    return new Cost(
        cpu.setScale(digits, RoundingMode.HALF_EVEN),
        memory.setScale(digits, RoundingMode.HALF_EVEN),
        disk.setScale(digits, RoundingMode.HALF_EVEN),
        network.setScale(digits, RoundingMode.HALF_EVEN));
  }
}
