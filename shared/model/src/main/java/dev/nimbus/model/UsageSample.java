package dev.nimbus.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One measured value of one metric of one resource, for the interval of {@code step} ending at
 * {@code time}.
 */
public record UsageSample(
    String nativeKey, Metric metric, Instant time, java.time.Duration step, double value) {
  public UsageSample {
    NativeKeys.requireValid(nativeKey);
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(step, "step");
    if (Double.isNaN(value) || value < 0) {
      throw new IllegalArgumentException("usage value must be a non-negative number: " + value);
    }
  }
}
