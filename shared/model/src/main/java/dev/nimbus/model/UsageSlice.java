package dev.nimbus.model;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What one resource used during a covered part {@code [from, to)} of one UTC hour, as sums the
 * showback needs: seconds running, vCPU-seconds and memory byte-seconds allocated (while running)
 * and used, disk byte-seconds allocated (always: a stopped guest keeps its disks) and used, and the
 * bytes moved. Disk used is {@code diskUsedKnown == false} when the provider cannot see it (a QEMU
 * VM without a permitted guest agent): unknown, never 0.
 */
public record UsageSlice(
    String nativeKey,
    Instant hour,
    Instant from,
    Instant to,
    long runningSeconds,
    double vcpuSecondsAllocated,
    double vcpuSecondsUsed,
    double memoryByteSecondsAllocated,
    double memoryByteSecondsUsed,
    double diskByteSecondsAllocated,
    double diskByteSecondsUsed,
    boolean diskUsedKnown,
    long networkInBytes,
    long networkOutBytes,
    long diskReadBytes,
    long diskWriteBytes) {

  public UsageSlice {
    NativeKeys.requireValid(nativeKey);
    Objects.requireNonNull(hour, "hour");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!hour.equals(hourOf(hour))) {
      throw new IllegalArgumentException("hour must be the start of a UTC hour: " + hour);
    }
    if (from.isBefore(hour) || to.isAfter(hour.plus(Duration.ofHours(1))) || to.isBefore(from)) {
      throw new IllegalArgumentException(
          "slice [" + from + ", " + to + ") is not within the hour " + hour);
    }
    for (double v :
        new double[] {
          runningSeconds,
          vcpuSecondsAllocated,
          vcpuSecondsUsed,
          memoryByteSecondsAllocated,
          memoryByteSecondsUsed,
          diskByteSecondsAllocated,
          diskByteSecondsUsed,
          networkInBytes,
          networkOutBytes,
          diskReadBytes,
          diskWriteBytes
        }) {
      if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
        throw new IllegalArgumentException(
            "usage of " + nativeKey + " must be finite and non-negative: " + v);
      }
    }
  }

  /** The start of the UTC hour {@code t} falls in. */
  public static Instant hourOf(Instant t) {
    return t.truncatedTo(ChronoUnit.HOURS);
  }

  public long coveredSeconds() {
    return Duration.between(from, to).toSeconds();
  }

  /** A mutable sum of one resource's usage in one hour, built from many samples. */
  public static final class Builder {
    private final String nativeKey;
    private final Instant hour;
    private Instant from;
    private Instant to;
    private long runningSeconds;
    private double vcpuAllocated;
    private double vcpuUsed;
    private double memAllocated;
    private double memUsed;
    private double diskAllocated;
    private double diskUsed;
    private boolean diskUsedKnown = true;
    private long netIn;
    private long netOut;
    private long diskRead;
    private long diskWrite;

    public Builder(String nativeKey, Instant hour) {
      this.nativeKey = nativeKey;
      this.hour = hour;
    }

    /** Widens the covered interval to include {@code [start, end)}. */
    public Builder cover(Instant start, Instant end) {
      from = from == null || start.isBefore(from) ? start : from;
      to = to == null || end.isAfter(to) ? end : to;
      return this;
    }

    /** {@code seconds} of running with {@code vcpus} of which {@code cpuFraction} in use. */
    public Builder running(double seconds, double vcpus, double cpuFraction) {
      runningSeconds += Math.round(seconds);
      vcpuAllocated += vcpus * seconds;
      vcpuUsed += vcpus * Math.max(0, Math.min(1, cpuFraction)) * seconds;
      return this;
    }

    public Builder memory(double seconds, double allocatedBytes, double usedBytes) {
      memAllocated += Math.max(0, allocatedBytes) * seconds;
      memUsed += Math.max(0, usedBytes) * seconds;
      return this;
    }

    /** Disk for {@code seconds}; {@code usedBytes} null when it cannot be seen. */
    public Builder disk(double seconds, double allocatedBytes, Double usedBytes) {
      diskAllocated += Math.max(0, allocatedBytes) * seconds;
      if (usedBytes == null) {
        diskUsedKnown = false;
      } else {
        diskUsed += Math.max(0, usedBytes) * seconds;
      }
      return this;
    }

    public Builder io(long networkIn, long networkOut, long read, long write) {
      netIn += Math.max(0, networkIn);
      netOut += Math.max(0, networkOut);
      diskRead += Math.max(0, read);
      diskWrite += Math.max(0, write);
      return this;
    }

    public boolean isEmpty() {
      return from == null;
    }

    public UsageSlice build() {
      return new UsageSlice(
          nativeKey,
          hour,
          from,
          to,
          runningSeconds,
          vcpuAllocated,
          vcpuUsed,
          memAllocated,
          memUsed,
          diskAllocated,
          diskUsedKnown ? diskUsed : 0,
          diskUsedKnown,
          netIn,
          netOut,
          diskRead,
          diskWrite);
    }
  }
}
