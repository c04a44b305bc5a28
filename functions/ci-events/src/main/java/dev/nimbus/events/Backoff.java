package dev.nimbus.events;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter" between attempts: after failed attempt {@code n}
 * (1-based) it waits a random time between half and all of the ceiling {@code min(max, base *
 * 2^(n-1))}, so retries of many callers spread out yet never come back almost at once. No wait
 * follows the last attempt ({@code maxAttempts} attempts in all). Sleeping goes through {@link
 * Sleeper} so tests run without waiting.
 */
public record Backoff(int maxAttempts, Duration base, Duration max, Sleeper sleeper) {

  /** Waits; the real one is {@link Thread#sleep(Duration)}. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  public Backoff {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(sleeper, "sleeper");
  }

  /** A backoff that really sleeps. */
  public static Backoff of(int maxAttempts, Duration base, Duration max) {
    return new Backoff(maxAttempts, base, max, Thread::sleep);
  }

  /** The upper bound of the wait after failed attempt {@code attempt} (1-based). */
  public Duration ceiling(int attempt) {
    long factor = 1L << Math.min(attempt - 1, 20);
    long millis = Math.min(max.toMillis(), base.toMillis() * factor);
    return Duration.ofMillis(millis);
  }

  /**
   * Waits after failed attempt {@code attempt}; false (without waiting) when no attempt is left or
   * the thread was interrupted.
   */
  public boolean pauseAfter(int attempt) {
    if (attempt >= maxAttempts) {
      return false;
    }
    long ceiling = ceiling(attempt).toMillis();
    long wait = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    try {
      sleeper.sleep(Duration.ofMillis(wait));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
