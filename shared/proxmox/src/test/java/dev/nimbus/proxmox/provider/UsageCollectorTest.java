package dev.nimbus.proxmox.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.TimeRange;
import dev.nimbus.model.UsageCollection;
import dev.nimbus.model.UsageRequest;
import dev.nimbus.model.UsageSlice;
import dev.nimbus.proxmox.client.model.MetricSample;
import dev.nimbus.proxmox.client.model.ProxmoxVersion;
import dev.nimbus.proxmox.client.model.RrdPoint;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimClock;
import dev.nimbus.pvesim.SimulatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Usage collection against the simulator, calls counted by the simulator. */
class UsageCollectorTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:20:00Z");
  private static final Set<String> SHARED = Set.of("ceph-vm", "nfs-backup", "pbs");

  private static UsageRequest since(Instant cursor, Instant now) {
    return new UsageRequest(new TimeRange(cursor, now), cursor, SHARED, Set.of());
  }

  private static List<UsageSlice> of(UsageCollection c, String key) {
    return c.slices().stream().filter(s -> s.nativeKey().equals(key)).toList();
  }

  private static long covered(List<UsageSlice> slices) {
    return slices.stream().mapToLong(UsageSlice::coveredSeconds).sum();
  }

  @Test
  void onPve84And91ASampleOfAThousandGuestsIsOneMetricsExportCall() {
    for (PveVersion version : List.of(PveVersion.V8_4, PveVersion.V9_1)) {
      SimClock clock = new SimClock(T0);
      try (SimulatedCluster cluster =
          SimulatedCluster.onClock(
              SimulatorConfig.scale(16, 1000, 2026).withVersion(version),
              clock,
              Roles.PVE_AUDITOR)) {
        ProxmoxProvider provider = cluster.provider(DiscoveryOptions.defaults());
        Instant cursor = T0.minus(Duration.ofMinutes(5));
        cluster.sim.resetRequestCounts();

        UsageCollection c = provider.collectUsage(since(cursor, T0));

        assertThat(cluster.sim.requestCount()).as(version.toString()).isEqualTo(1);
        assertThat(cluster.sim.requestCount("/cluster/metrics/export")).isEqualTo(1);
        assertThat(c.methods()).containsExactly("metrics-export");
        assertThat(c.coveredTo()).isEqualTo(T0);
        Set<String> guests =
            c.slices().stream()
                .map(UsageSlice::nativeKey)
                .filter(k -> k.startsWith("qemu/") || k.startsWith("lxc/"))
                .collect(Collectors.toSet());
        assertThat(guests).hasSize(1000);
        // Every guest's five minutes are covered once, no more.
        assertThat(c.slices()).allMatch(s -> s.coveredSeconds() == 300);
        assertThat(c.problems()).isEmpty();
      }
    }
  }

  @Test
  void aLargeClusterReadsOnlyTheNewestGenerationsAndItsCountersContinueFromTheBaselines() {
    SimClock clock = new SimClock(T0);
    try (SimulatedCluster cluster =
        SimulatedCluster.onClock(
            SimulatorConfig.scale(16, 1000, 2026).withVersion(PveVersion.V9_1),
            clock,
            Roles.PVE_AUDITOR)) {
      ProxmoxProvider provider = cluster.provider(DiscoveryOptions.defaults());
      UsageCollection first = provider.collectUsage(since(T0.minusSeconds(60), T0));
      assertThat(first.baselines()).hasSizeGreaterThan(500);
      // Ten minutes later: 61 generations wanted, more than the answer budget for ~1,070 CIs.
      assertThat(UsageCollector.generationBudget(first.baselines().size())).isLessThan(61);
      clock.advance(Duration.ofMinutes(10));
      cluster.sim.resetRequestCounts();
      UsageCollection second =
          provider.collectUsage(
              new UsageRequest(
                  new TimeRange(T0, clock.instant()), T0, SHARED, Set.of(), first.baselines()));

      assertThat(cluster.sim.requestCount()).isEqualTo(1);
      String key =
          first.baselines().keySet().stream()
              .filter(k -> k.startsWith("qemu/"))
              .sorted()
              .findFirst()
              .orElseThrow();
      List<MetricSample> raw =
          cluster.client.cluster().metricsExport(true, T0.getEpochSecond() - 10).orElseThrow();
      double atCursor = value(raw, key, "net_in", T0.getEpochSecond());
      double atEnd = value(raw, key, "net_in", clock.instant().getEpochSecond());
      UsageSlice slice = of(second, key).getFirst();
      assertThat(slice.coveredSeconds()).isEqualTo(600);
      // Exact bytes although most generations were never read.
      assertThat(slice.networkInBytes()).isEqualTo(Math.round(atEnd - atCursor));
    }
  }

  @Test
  void thePreviousSampleEndsWhereTheNextBeginsWithoutGapOrOverlap() {
    SimClock clock = new SimClock(T0);
    try (SimulatedCluster cluster =
        SimulatedCluster.onClock(
            SimulatorConfig.demo().withVersion(PveVersion.V9_1), clock, Roles.PVE_AUDITOR)) {
      ProxmoxProvider provider = cluster.provider(DiscoveryOptions.defaults());
      UsageCollection first = provider.collectUsage(since(T0.minusSeconds(600), T0));
      clock.advance(Duration.ofMinutes(7));
      Instant now = clock.instant();
      UsageCollection second = provider.collectUsage(since(first.coveredTo(), now));
      assertThat(of(second, "qemu/101")).allMatch(s -> !s.from().isBefore(T0));
      assertThat(covered(of(first, "qemu/101")) + covered(of(second, "qemu/101")))
          .isEqualTo(Duration.between(T0.minusSeconds(600), now).toSeconds());
    }
  }

  @Test
  void onPve81UsageIsBackfilledFromRrddata() {
    SimClock clock = new SimClock(T0);
    try (SimulatedCluster cluster =
        SimulatedCluster.onClock(
            SimulatorConfig.demo().withVersion(PveVersion.V8_1), clock, Roles.PVE_AUDITOR)) {
      ProxmoxProvider provider = cluster.provider(DiscoveryOptions.defaults());
      cluster.sim.resetRequestCounts();
      UsageCollection c = provider.collectUsage(since(T0.minus(Duration.ofMinutes(20)), T0));

      assertThat(c.methods()).containsExactly("rrddata");
      assertThat(cluster.sim.requestCount("/nodes/pve1/qemu/101/rrddata")).isEqualTo(1);
      assertThat(covered(of(c, "qemu/101"))).isEqualTo(20 * 60);
      UsageSlice web = of(c, "qemu/101").get(0);
      assertThat(web.vcpuSecondsUsed()).isPositive().isLessThan(web.vcpuSecondsAllocated());
      assertThat(web.networkInBytes()).isPositive();
      assertThat(web.diskUsedKnown()).as("QEMU disk used without the agent").isFalse();
      assertThat(of(c, "lxc/200").get(0).diskUsedKnown()).isTrue();
    }
  }

  @Test
  void sharedStorageIsCountedOnceOnItsCiLocalStoragePerNode() {
    SimClock clock = new SimClock(T0);
    try (SimulatedCluster cluster =
        SimulatedCluster.onClock(
            SimulatorConfig.demo().withVersion(PveVersion.V9_1), clock, Roles.PVE_AUDITOR)) {
      UsageCollection c =
          cluster
              .provider(DiscoveryOptions.defaults())
              .collectUsage(
                  new UsageRequest(
                      new TimeRange(T0.minusSeconds(300), T0),
                      T0.minusSeconds(300),
                      null, // read from /storage
                      Set.of()));
      assertThat(c.sharedStorage()).contains("ceph-vm").doesNotContain("local-lvm");
      Set<String> keys = c.slices().stream().map(UsageSlice::nativeKey).collect(Collectors.toSet());
      assertThat(keys)
          .contains("storage/ceph-vm", "storage/pve1/local-lvm", "storage/pve2/local-lvm");
      assertThat(keys).noneMatch(k -> k.matches("storage/pve\\d/ceph-vm"));
      UsageSlice ceph = of(c, "storage/ceph-vm").get(0);
      long total =
          cluster.client.cluster().resources().stream()
              .filter(r -> "storage/pve1/ceph-vm".equals(r.id()))
              .findFirst()
              .orElseThrow()
              .maxdisk();
      // Allocated = one storage's size for 300 s, not three nodes' worth.
      assertThat(ceph.diskByteSecondsAllocated()).isEqualTo(300.0 * total);
    }
  }

  @Test
  void aCounterResetByARebootGivesTheBytesBeforeAndAfterNeverNegativeNorHuge() {
    SimClock clock = new SimClock(T0);
    try (SimulatedCluster cluster =
        SimulatedCluster.onClock(
            SimulatorConfig.demo().withVersion(PveVersion.V9_1), clock, Roles.PVE_AUDITOR)) {
      ProxmoxProvider provider = cluster.provider(DiscoveryOptions.defaults());
      Instant start = T0;
      clock.advance(Duration.ofSeconds(125)); // 10:22:05
      cluster.sim.admin().reboot(101, "root@pam");
      clock.advance(Duration.ofSeconds(175)); // 10:25:00
      UsageCollection c = provider.collectUsage(since(start, clock.instant()));

      List<MetricSample> raw =
          cluster.client.cluster().metricsExport(true, start.getEpochSecond() - 10).orElseThrow();
      double atStart = value(raw, "qemu/101", "net_in", start.getEpochSecond());
      double beforeReboot = value(raw, "qemu/101", "net_in", start.getEpochSecond() + 120);
      double atEnd = value(raw, "qemu/101", "net_in", clock.instant().getEpochSecond());
      long expected = Math.round(beforeReboot - atStart) + Math.round(atEnd);

      UsageSlice web = of(c, "qemu/101").get(0);
      assertThat(atEnd).isLessThan(beforeReboot);
      assertThat(web.networkInBytes()).isEqualTo(expected);
      // Without the reset rule, the delta across the reboot would be negative.
      assertThat(web.networkInBytes()).isLessThan(Math.round(beforeReboot));
    }
  }

  private static double value(List<MetricSample> raw, String id, String metric, long t) {
    return raw.stream()
        .filter(m -> m.id().equals(id) && m.metric().equals(metric) && m.timestamp() == t)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + metric + " of " + id + " at " + t))
        .value();
  }

  @Test
  void aTwoHourOutageIsBackfilledFromRrddataAndTheBufferCoversTheRest() {
    SimClock clock = new SimClock(T0);
    try (SimulatedCluster cluster =
        SimulatedCluster.onClock(
            SimulatorConfig.demo().withVersion(PveVersion.V9_1), clock, Roles.PVE_AUDITOR)) {
      ProxmoxProvider provider = cluster.provider(DiscoveryOptions.defaults());
      Instant cursor = T0.minus(Duration.ofHours(2));
      UsageCollection c = provider.collectUsage(since(cursor, T0));

      assertThat(c.methods()).containsExactly("rrddata", "metrics-export");
      assertThat(c.coveredTo()).isEqualTo(T0);
      List<UsageSlice> web = of(c, "qemu/101");
      assertThat(web).extracting(UsageSlice::hour).doesNotHaveDuplicates().hasSize(3);
      assertThat(covered(web)).isEqualTo(Duration.ofHours(2).toSeconds());
      assertThat(web).allMatch(s -> s.networkInBytes() > 0);
    }
  }

  @Test
  void qemuDiskUsedComesFromTheGuestAgentWherePermittedOtherwiseItIsUnknown() {
    SimClock clock = new SimClock(T0);
    // PVE 9: PVEAuditor holds VM.GuestAgent.Audit.
    try (SimulatedCluster cluster =
        SimulatedCluster.onClock(
            SimulatorConfig.demo().withVersion(PveVersion.V9_1), clock, Roles.PVE_AUDITOR)) {
      UsageCollection c =
          cluster
              .provider(DiscoveryOptions.defaults())
              .collectUsage(
                  new UsageRequest(
                      new TimeRange(T0.minusSeconds(60), T0),
                      T0.minusSeconds(60),
                      SHARED,
                      Set.of("qemu/101")));
      assertThat(of(c, "qemu/101").get(0).diskUsedKnown()).isTrue();
      assertThat(of(c, "qemu/101").get(0).diskByteSecondsUsed()).isPositive();
      assertThat(of(c, "qemu/102").get(0).diskUsedKnown()).isFalse();
    }
    // PVE 8: the agent needs VM.Monitor, which PVEAuditor lacks.
    try (SimulatedCluster cluster =
        SimulatedCluster.onClock(
            SimulatorConfig.demo().withVersion(PveVersion.V8_4), clock, Roles.PVE_AUDITOR)) {
      UsageCollection c =
          cluster
              .provider(DiscoveryOptions.defaults())
              .collectUsage(
                  new UsageRequest(
                      new TimeRange(T0.minusSeconds(60), T0),
                      T0.minusSeconds(60),
                      SHARED,
                      Set.of("qemu/101", "qemu/102")));
      assertThat(of(c, "qemu/101").get(0).diskUsedKnown()).isFalse();
      assertThat(of(c, "qemu/101").get(0).diskByteSecondsUsed()).isZero();
      assertThat(c.problems())
          .extracting(DiscoveryProblem::kind)
          .containsExactly(DiscoveryProblem.Kind.MISSING_PERMISSION);
    }
  }

  @Test
  void counterDeltasAreNeverNegativeNorALifetime() {
    assertThat(UsageCollector.delta(100, 250, false, 5000, 10)).isEqualTo(150);
    // Reset within the interval: the bytes since the restart.
    assertThat(UsageCollector.delta(9_000_000, 400, true, 4, 10)).isEqualTo(400);
    // Went down with an old process (a wrapped or replaced counter): nothing rather than a guess.
    assertThat(UsageCollector.delta(9_000_000, 400, false, 86_400, 10)).isZero();
    // First sight of a long-running guest: no baseline, no lifetime's bytes.
    assertThat(UsageCollector.delta(Double.NaN, 7e12, false, 86_400, 10)).isZero();
  }

  @Test
  void theFinestTimeframeThatReachesBackIsChosenPerVersion() {
    ProxmoxVersion pve8 = ProxmoxVersion.parse("8.1.4");
    ProxmoxVersion pve9 = ProxmoxVersion.parse("9.1.2");
    assertThat(UsageCollector.timeframeFor(pve8, Duration.ofMinutes(50)))
        .isEqualTo(RrdPoint.Timeframe.HOUR);
    assertThat(UsageCollector.timeframeFor(pve8, Duration.ofHours(2)))
        .isEqualTo(RrdPoint.Timeframe.DAY);
    assertThat(UsageCollector.timeframeFor(pve8, Duration.ofDays(3)))
        .isEqualTo(RrdPoint.Timeframe.WEEK);
    assertThat(UsageCollector.timeframeFor(pve9, Duration.ofHours(20)))
        .isEqualTo(RrdPoint.Timeframe.DAY);
    assertThat(UsageCollector.timeframeFor(pve9, Duration.ofDays(3)))
        .isEqualTo(RrdPoint.Timeframe.WEEK);
  }
}
