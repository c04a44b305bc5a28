package dev.nimbus.proxmox.provider;

/**
 * How a Proxmox discovery run trades completeness against calls.
 *
 * @param sweepRuns every guest's config is re-read at least every {@code sweepRuns} runs even when
 *     nothing says it changed (this catches edits that leave no trace in /cluster/resources or the
 *     task log, such as guest firewall rules); 1 re-reads every guest every run
 * @param guestAgent read IP addresses from the QEMU guest agent of running VMs that have one
 * @param guestFirewall read the rules of guests that have a firewall-enabled NIC
 */
public record DiscoveryOptions(int sweepRuns, boolean guestAgent, boolean guestFirewall) {
  /** 24 runs: with a 15-minute schedule, every guest is re-read at least every 6 hours. */
  public static final int DEFAULT_SWEEP_RUNS = 24;

  public DiscoveryOptions {
    if (sweepRuns < 1) {
      throw new IllegalArgumentException("sweepRuns must be at least 1");
    }
  }

  public static DiscoveryOptions defaults() {
    return new DiscoveryOptions(DEFAULT_SWEEP_RUNS, true, true);
  }

  /** The naive strategy, for benchmarks: every guest's config on every run. */
  public static DiscoveryOptions everyGuestEveryRun() {
    return new DiscoveryOptions(1, true, true);
  }
}
