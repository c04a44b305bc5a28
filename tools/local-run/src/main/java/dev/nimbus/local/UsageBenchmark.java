package dev.nimbus.local;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import dev.nimbus.model.TimeRange;
import dev.nimbus.model.UsageCollection;
import dev.nimbus.model.UsageRequest;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.tls.TlsTrust;
import dev.nimbus.proxmox.provider.DiscoveryOptions;
import dev.nimbus.proxmox.provider.ProxmoxProvider;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimClock;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.usage.CiDirectory;
import dev.nimbus.usage.InMemoryUsageRepository;
import dev.nimbus.usage.RecordResult;
import dev.nimbus.usage.UsageService;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The usage benchmark (bin/benchmark-usage): one simulated hour of scheduled samples of a 16-node
 * cluster on simulated time (the simulator's clock is advanced by the period between samples, so an
 * hour takes no hour), through the real collector and the real usage service over the in-memory
 * repository, which counts DynamoDB write requests as the DynamoDB one sends them (25 items a
 * batch). Per sample: Proxmox calls (counted by the simulator), wall and CPU time of the sampling
 * thread, bytes it allocated; per hour: hour items, rollups, state pages, write requests. The
 * simulator runs in the same JVM on its own threads: the sampling thread's figures exclude it.
 */
public final class UsageBenchmark {
  private static final ConnectionRef REF = new ConnectionRef("bench", "sim");

  public static void main(String[] args) throws Exception {
    int guests = 10_000;
    int nodes = 16;
    int periodMinutes = 5;
    PveVersion version = PveVersion.V9_1;
    Path report = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--guests" -> guests = Integer.parseInt(args[++i]);
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--period" -> periodMinutes = Integer.parseInt(args[++i]);
        case "--version" -> version = PveVersion.parse(args[++i]);
        case "--report" -> report = Path.of(args[++i]);
        default -> {
          System.err.println(
              "usage: bin/benchmark-usage [--guests N] [--nodes N] [--period MINUTES] [--version 8.4|9.1]");
          System.exit(2);
        }
      }
    }
    Instant start = Instant.parse("2026-03-02T09:58:00Z");
    SimClock clock = new SimClock(start);
    StringBuilder out = new StringBuilder();
    try (PveSimulator sim =
        PveSimulator.start(
            SimulatorConfig.scale(nodes, guests, 2026)
                .withVersion(version)
                .withClock(clock)
                .withAuthFailureDelay(Duration.ZERO))) {
      ApiToken token = sim.createToken("usage@pve", "bench", Roles.PVE_AUDITOR, true);
      ProxmoxClient client =
          ProxmoxClient.create(
              ClientSettings.builder(sim.baseUri())
                  .trust(TlsTrust.PinnedFingerprints.of(sim.fingerprint(sim.entryNode())))
                  .apiToken(token.fullId(), Secret.of(token.secret()))
                  .build());
      ProxmoxProvider provider =
          new ProxmoxProvider(client, REF, token.fullId(), DiscoveryOptions.defaults(), clock);
      InMemoryUsageRepository repo = new InMemoryUsageRepository();
      UsageService usage = new UsageService(repo, Duration.ofDays(400), clock);
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      Duration period = Duration.ofMinutes(periodMinutes);
      int samples = (int) (Duration.ofHours(1).toMinutes() / periodMinutes);
      out.append(
          String.format(
              "Usage benchmark: PVE %s, %d nodes, %d guests, a sample every %d minutes, %d samples"
                  + " (10:00 to 11:00; the last completes the hour), load %s, %d cores%n%n",
              version.version(),
              nodes,
              guests,
              periodMinutes,
              samples,
              loadAverage(),
              Runtime.getRuntime().availableProcessors()));
      out.append(
          "| sample | methods | Proxmox calls | export calls | CIs | hour items written | rollups"
              + " written | state pages | DynamoDB write requests | wall | CPU (sampler thread) |"
              + " allocated (sampler thread) | live heap after (with the simulator) |\n");
      out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      // Unreported warm-up: class loading and JIT must not count against the first sample.
      provider.collectUsage(
          new UsageRequest(
              new TimeRange(start.minusSeconds(60), start),
              start.minusSeconds(60),
              null,
              Set.of()));
      // The connection was sampled up to 10:00 before (its state holds the cursor and the
      // counters it ended on); the samples of the hour follow.
      Instant cursor = Instant.parse("2026-03-02T10:00:00Z");
      clock.set(cursor);
      usage.record(
          REF,
          provider.collectUsage(
              new UsageRequest(
                  new TimeRange(cursor.minusSeconds(60), cursor), null, null, Set.of())),
          CiDirectory.NONE);
      cursor = usage.state(REF).cursor();
      String budget =
          String.format(
              "Export answer budget: %d generations of 10 s for %d resources with counters.%n",
              ProxmoxProvider.exportGenerationBudget(usage.state(REF).baselines().size()),
              usage.state(REF).baselines().size());
      long hourWrites = 0;
      long writeRequestsBefore = repo.writeRequests();
      List<Long> wall = new ArrayList<>();
      for (int s = 1; s <= samples; s++) {
        clock.advance(period);
        Instant now = clock.instant();
        sim.resetRequestCounts();
        long writes = repo.writeRequests();
        long cpu = threads.getCurrentThreadCpuTime();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        UsageCollection c =
            provider.collectUsage(
                new UsageRequest(
                    new TimeRange(cursor, now),
                    cursor,
                    s == 1 ? null : Set.of("ceph-vm"),
                    Set.of(),
                    usage.state(REF).baselines()));
        RecordResult r = usage.record(REF, c, CiDirectory.NONE);
        long elapsed = System.nanoTime() - t0;
        wall.add(elapsed);
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
        cursor = r.cursor();
        hourWrites += r.hoursWritten();
        // What stays: the repository, the state and the simulator's cluster (same JVM).
        System.gc();
        Runtime rt = Runtime.getRuntime();
        out.append(
            String.format(
                "| %d | %s | %d | %d | %d | %d | %d | %d | %d | %.2f s | %.2f s | %d MB | %d MB |%n",
                s,
                String.join("+", c.methods()),
                sim.requestCount(),
                sim.requestCount("/cluster/metrics/export"),
                c.slices().stream().map(x -> x.nativeKey()).distinct().count(),
                r.hoursWritten(),
                r.rollupsWritten(),
                r.stateItemsWritten(),
                repo.writeRequests() - writes,
                elapsed / 1e9,
                cpu / 1e9,
                allocated >> 20,
                (rt.totalMemory() - rt.freeMemory()) >> 20));
        System.err.println("sample " + s + " done");
      }
      out.append(
          String.format(
              "%nPer hour: %d hour items written (one per CI), %d DynamoDB write requests in all"
                  + " (hour items, rollups and state pages, 25 items a batch).%n",
              hourWrites, repo.writeRequests() - writeRequestsBefore));
      out.append(budget);
    }
    System.out.print(out);
    if (report != null) {
      Files.createDirectories(report.getParent());
      Files.writeString(report, out.toString());
    }
  }

  private static String loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return String.format("%.1f", load);
  }
}
