package dev.nimbus.usage;

import dev.nimbus.model.UsageSlice;

/**
 * Sums of usage over some time: seconds running, vCPU-seconds and memory byte-seconds allocated
 * (while running) and used, disk byte-seconds allocated and used, bytes moved. Disk used may be
 * known for only part of the time ({@code diskUsedSeconds} of {@code diskSeconds}): a QEMU VM's
 * comes from its guest agent, asked once an hour rather than on every sample; the used figure is
 * then the measured average over the whole time, and unknown (null, never 0) when never measured.
 */
public record UsageTotals(
    long runningSeconds,
    double vcpuSecondsAllocated,
    double vcpuSecondsUsed,
    double memoryByteSecondsAllocated,
    double memoryByteSecondsUsed,
    double diskByteSecondsAllocated,
    double diskByteSecondsUsed,
    long diskSeconds,
    long diskUsedSeconds,
    long networkInBytes,
    long networkOutBytes,
    long diskReadBytes,
    long diskWriteBytes) {

  static final double GIB = 1024.0 * 1024 * 1024;
  static final double GB = 1e9;

  public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public static UsageTotals of(UsageSlice s) {
    return new UsageTotals(
        s.runningSeconds(),
        s.vcpuSecondsAllocated(),
        s.vcpuSecondsUsed(),
        s.memoryByteSecondsAllocated(),
        s.memoryByteSecondsUsed(),
        s.diskByteSecondsAllocated(),
        s.diskByteSecondsUsed(),
        s.coveredSeconds(),
        s.diskUsedKnown() ? s.coveredSeconds() : 0,
        s.networkInBytes(),
        s.networkOutBytes(),
        s.diskReadBytes(),
        s.diskWriteBytes());
  }

  public UsageTotals plus(UsageTotals o) {
    return new UsageTotals(
        runningSeconds + o.runningSeconds,
        vcpuSecondsAllocated + o.vcpuSecondsAllocated,
        vcpuSecondsUsed + o.vcpuSecondsUsed,
        memoryByteSecondsAllocated + o.memoryByteSecondsAllocated,
        memoryByteSecondsUsed + o.memoryByteSecondsUsed,
        diskByteSecondsAllocated + o.diskByteSecondsAllocated,
        diskByteSecondsUsed + o.diskByteSecondsUsed,
        diskSeconds + o.diskSeconds,
        diskUsedSeconds + o.diskUsedSeconds,
        networkInBytes + o.networkInBytes,
        networkOutBytes + o.networkOutBytes,
        diskReadBytes + o.diskReadBytes,
        diskWriteBytes + o.diskWriteBytes);
  }

  /** {@code this - o}, for rollup deltas when an hour is rewritten with more coverage. */
  public UsageTotals minus(UsageTotals o) {
    return new UsageTotals(
        runningSeconds - o.runningSeconds,
        vcpuSecondsAllocated - o.vcpuSecondsAllocated,
        vcpuSecondsUsed - o.vcpuSecondsUsed,
        memoryByteSecondsAllocated - o.memoryByteSecondsAllocated,
        memoryByteSecondsUsed - o.memoryByteSecondsUsed,
        diskByteSecondsAllocated - o.diskByteSecondsAllocated,
        diskByteSecondsUsed - o.diskByteSecondsUsed,
        diskSeconds - o.diskSeconds,
        diskUsedSeconds - o.diskUsedSeconds,
        networkInBytes - o.networkInBytes,
        networkOutBytes - o.networkOutBytes,
        diskReadBytes - o.diskReadBytes,
        diskWriteBytes - o.diskWriteBytes);
  }

  public double vcpuHoursAllocated() {
    return vcpuSecondsAllocated / 3600;
  }

  public double vcpuHoursUsed() {
    return vcpuSecondsUsed / 3600;
  }

  public double memoryGibHoursAllocated() {
    return memoryByteSecondsAllocated / GIB / 3600;
  }

  public double memoryGibHoursUsed() {
    return memoryByteSecondsUsed / GIB / 3600;
  }

  public double diskGbHoursAllocated() {
    return diskByteSecondsAllocated / GB / 3600;
  }

  public boolean diskUsedKnown() {
    return diskUsedSeconds > 0;
  }

  /**
   * Disk GB-hours used: the average measured use over the whole time, or null when it was never
   * measured (a QEMU VM without a permitted guest agent).
   */
  public Double diskGbHoursUsed() {
    if (diskUsedSeconds <= 0) {
      return null;
    }
    return diskByteSecondsUsed / diskUsedSeconds * diskSeconds / GB / 3600;
  }
}
