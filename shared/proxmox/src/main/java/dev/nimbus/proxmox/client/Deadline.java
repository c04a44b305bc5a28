package dev.nimbus.proxmox.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The overall time budget of one run (a Lambda invocation has a hard limit). Every attempt, wait
 * for a connection slot and backoff stops at it; read timeouts are shortened to fit.
 */
public record Deadline(Clock clock, Instant at) {
  public Deadline {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(at, "at");
  }

  public static Deadline after(Duration budget, Clock clock) {
    return new Deadline(clock, clock.instant().plus(budget));
  }

  public static Deadline after(Duration budget) {
    return after(budget, Clock.systemUTC());
  }

  /** No deadline beyond the per-call timeouts. */
  public static Deadline none() {
    return new Deadline(Clock.systemUTC(), Instant.MAX);
  }

  /** Time left, never negative. */
  public Duration remaining() {
    if (at.equals(Instant.MAX)) {
      return Duration.ofDays(36_500);
    }
    Duration left = Duration.between(clock.instant(), at);
    return left.isNegative() ? Duration.ZERO : left;
  }

  public boolean isExpired() {
    return remaining().isZero();
  }
}
