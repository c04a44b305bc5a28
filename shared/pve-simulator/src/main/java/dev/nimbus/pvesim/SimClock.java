package dev.nimbus.pvesim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test or a benchmark moves by hand ({@link SimulatorConfig#withClock}): usage series,
 * the metrics buffer and counters follow it, so an hour of sampling takes no wall time.
 */
public final class SimClock extends Clock {
  private volatile Instant now;

  public SimClock(Instant start) {
    this.now = start;
  }

  public void advance(Duration d) {
    now = now.plus(d);
  }

  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
