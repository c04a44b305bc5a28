package dev.nimbus.proxmox.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries for idempotent reads only: exponential backoff (doubling from {@code initialBackoff} up
 * to {@code maxBackoff}) with random jitter, never past the run's deadline.
 *
 * @param maxAttempts total attempts including the first (1 = no retry)
 * @param jitter fraction of each delay that is randomised, 0..1
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter) {

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be between 0 and 1");
    }
  }

  /** Four attempts, 250 ms doubling to 4 s, half of each delay random. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(4), 0.5);
  }

  /** A single attempt. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 0);
  }

  /** The delay before attempt {@code attempt + 1}, after {@code attempt} failed (1-based). */
  public Duration backoff(int attempt) {
    long base = initialBackoff.toMillis();
    long exp = base << Math.min(attempt - 1, 20);
    long capped = Math.min(exp < 0 ? Long.MAX_VALUE : exp, maxBackoff.toMillis());
    long random = (long) (capped * jitter * ThreadLocalRandom.current().nextDouble());
    return Duration.ofMillis(capped - random);
  }
}
