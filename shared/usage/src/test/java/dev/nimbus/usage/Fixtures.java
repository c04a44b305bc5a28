package dev.nimbus.usage;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.UsageCollection;
import dev.nimbus.model.UsageSlice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

final class Fixtures {
  static final ConnectionRef LAB = new ConnectionRef("acme", "lab");
  static final double GIB = 1024.0 * 1024 * 1024;

  private Fixtures() {}

  /** A clock tests move. */
  static final class TestClock extends Clock {
    Instant now;

    TestClock(Instant now) {
      this.now = now;
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

  /** A running guest's slice {@code [from, from + seconds)}. */
  static UsageSlice running(
      String key,
      Instant from,
      long seconds,
      double vcpus,
      double cpu,
      double memGib,
      double usedGib,
      double diskGb,
      long netIn,
      long netOut) {
    return new UsageSlice.Builder(key, UsageSlice.hourOf(from))
        .cover(from, from.plusSeconds(seconds))
        .running(seconds, vcpus, cpu)
        .memory(seconds, memGib * GIB, usedGib * GIB)
        .disk(seconds, diskGb * 1e9, null)
        .io(netIn, netOut, 0, 0)
        .build();
  }

  static UsageSlice stopped(String key, Instant from, long seconds, double diskGb) {
    return new UsageSlice.Builder(key, UsageSlice.hourOf(from))
        .cover(from, from.plusSeconds(seconds))
        .disk(seconds, diskGb * 1e9, diskGb * 0.5e9)
        .build();
  }

  static UsageCollection collection(List<UsageSlice> slices, Instant coveredTo) {
    return new UsageCollection(
        LAB, slices, coveredTo, List.of("test"), Set.of("ceph-vm"), List.of());
  }

  static Duration minutes(long m) {
    return Duration.ofMinutes(m);
  }
}
