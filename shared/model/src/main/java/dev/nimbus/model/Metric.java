package dev.nimbus.model;

/** A usage metric a provider can sample, with the unit its values are in. */
public enum Metric {
  /** Share of the allocated CPUs in use, 0..1 (averaged over the sample interval). */
  CPU_UTILIZATION("ratio"),
  /** Allocated virtual CPUs. */
  CPU_ALLOCATED("count"),
  MEMORY_USED("bytes"),
  MEMORY_ALLOCATED("bytes"),
  DISK_USED("bytes"),
  DISK_ALLOCATED("bytes"),
  /** Bytes received during the sample interval. */
  NETWORK_IN("bytes"),
  /** Bytes sent during the sample interval. */
  NETWORK_OUT("bytes"),
  DISK_READ("bytes"),
  DISK_WRITE("bytes");

  private final String unit;

  Metric(String unit) {
    this.unit = unit;
  }

  public String unit() {
    return unit;
  }
}
