package dev.nimbus.usage;

import java.util.Map;

/**
 * A rate card as a client sends it: prices as decimal strings (JSON numbers are passed as their
 * text, so no binary rounding happens on the way in), validated by {@link ShowbackService}.
 */
public record RateCardInput(
    String currency,
    RatesInput base,
    Map<String, String> nodeClasses,
    Map<String, RatesInput> classRates) {

  /** Prices of one class, or the base. */
  public record RatesInput(
      String vcpuHour,
      String memoryGibHour,
      Map<String, String> storageGbMonth,
      String networkGb) {}
}
