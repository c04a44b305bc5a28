package dev.nimbus.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.local.DiscoveryBenchmark.Kind;
import dev.nimbus.local.DiscoveryBenchmark.Row;
import dev.nimbus.proxmox.provider.DiscoveryOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryBenchmarkTest {
  private static final long MB = 1024 * 1024;

  private static Row row(Kind kind, long calls, int ciWrites, long millis, long heapMb) {
    return row(20, kind, calls, ciWrites, millis, heapMb);
  }

  private static Row row(
      int latencyMs, Kind kind, long calls, int ciWrites, long millis, long heapMb) {
    return new Row(
        10_000,
        latencyMs,
        kind,
        calls,
        2,
        2,
        ciWrites,
        Duration.ofMillis(millis),
        heapMb * MB,
        heapMb * MB / 2,
        0,
        16,
        Duration.ofMillis(millis / 2),
        Duration.ofMillis(millis / 3));
  }

  @Test
  void theBenchmarkUsesTheDeployedDiscoveryFunctionsDefaults() {
    DiscoveryBenchmark.FunctionDefaults defaults = DiscoveryBenchmark.FunctionDefaults.read();

    assertThat(defaults.sweepRuns()).isEqualTo(DiscoveryOptions.DEFAULT_SWEEP_RUNS);
    assertThat(defaults.maxConcurrentRequests()).isGreaterThan(1);
  }

  @Test
  void metTargetsAreReportedWithTheirRatio() {
    List<Row> rows =
        List.of(
            row(Kind.FIRST, 26_000, 12_000, 30_000, 250),
            row(Kind.RERUN, 1_000, 0, 2_000, 120),
            row(Kind.NAIVE, 26_000, 12_000, 600_000, 200),
            row(0, Kind.FIRST, 26_000, 12_000, 4_000, 250),
            row(0, Kind.RERUN, 1_000, 0, 400, 120),
            row(0, Kind.NAIVE, 26_000, 12_000, 5_000, 200));

    String targets = DiscoveryBenchmark.targets(rows, 300L << 20);

    assertThat(targets)
        .contains("re-run makes at least 20x fewer Proxmox calls than naive: met (26.0x)")
        .contains("re-run is at least 200x faster than naive: met (300.0x)")
        .contains("first run is at least 15x faster than naive: met (20.0x)")
        .contains("first run is at least as fast as naive: met (1.3x)")
        .contains("re-run is at least 10x faster than naive: met (12.5x)")
        .contains("an unchanged re-run writes zero CIs: met")
        .contains(
            "peak heap under 300 MB: met (every run completed in a JVM capped at 300 MB; highest heap"
                + " in use after a collection 125 MB; highest sum of pool peaks, counting uncollected"
                + " garbage, 250 MB)");
  }

  @Test
  void aMissedTargetSaysByHowMuch() {
    List<Row> rows =
        List.of(
            row(Kind.FIRST, 26_000, 12_000, 80_000, 310),
            row(Kind.RERUN, 2_000, 3, 4_000, 120),
            row(Kind.NAIVE, 26_000, 12_000, 600_000, 200),
            row(0, Kind.FIRST, 26_000, 12_000, 20_000, 250),
            row(0, Kind.RERUN, 1_000, 0, 2_000, 120),
            row(0, Kind.NAIVE, 26_000, 12_000, 5_000, 200));

    String targets = DiscoveryBenchmark.targets(rows, 512L << 20);

    assertThat(targets)
        .contains(
            "re-run makes at least 20x fewer Proxmox calls than naive: MISSED (13.0x, 35% short)")
        .contains("re-run is at least 200x faster than naive: MISSED (150.0x, 25% short)")
        .contains("first run is at least 15x faster than naive: MISSED (7.5x, 50% short)")
        .contains("first run is at least as fast as naive: MISSED (0.3x, 75% short)")
        .contains("re-run is at least 10x faster than naive: MISSED (2.5x, 75% short)")
        .contains("an unchanged re-run writes zero CIs: MISSED")
        .contains(
            "peak heap under 300 MB: MISSED (every run completed in a JVM capped at 512 MB; highest"
                + " heap in use after a collection 155 MB");
  }

  @Test
  void aSmallClusterRunsTheThreeScenariosAgainstASimulatorInItsOwnJvm() {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    DiscoveryBenchmark benchmark =
        new DiscoveryBenchmark(
            DiscoveryBenchmark.FunctionDefaults.read(),
            new PrintStream(progress, true, StandardCharsets.UTF_8));

    List<Row> rows = benchmark.cluster(2, 60, 0);

    assertThat(rows).extracting(Row::kind).containsExactly(Kind.FIRST, Kind.RERUN, Kind.NAIVE);
    Row first = rows.get(0);
    Row rerun = rows.get(1);
    Row naive = rows.get(2);
    assertThat(first.ciWrites()).isGreaterThan(60);
    assertThat(first.problems()).isZero();
    assertThat(rerun.ciWrites()).isZero();
    assertThat(rerun.proxmoxCalls()).isLessThan(first.proxmoxCalls());
    assertThat(naive.proxmoxCalls()).isGreaterThanOrEqualTo(first.proxmoxCalls());
    assertThat(naive.ciWrites()).isEqualTo(first.ciWrites());
    // Counted by the simulator: keep-alive means a handshake per connection, not per call.
    assertThat(first.tlsHandshakes()).isBetween(1L, 16L);
    assertThat(naive.tlsHandshakes()).isEqualTo(1);
    assertThat(first.discoveryCpu()).isPositive();
    String report = benchmark.report(rows, 2);
    assertThat(report)
        .contains("| 60 | 0 ms | re-run, no change |")
        .doesNotContain("simulator warm-up")
        .contains("an unchanged re-run writes zero CIs: met");
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("60 guests on 2 nodes, 0 ms per request")
        .doesNotContain("token value");
  }
}
