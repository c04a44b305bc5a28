package dev.nimbus.local;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.nimbus.cmdb.ApplyResult;
import dev.nimbus.cmdb.CmdbService;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.InMemoryCiRepository;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.local.LocalOptions.UsageException;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.tls.TlsTrust;
import dev.nimbus.proxmox.provider.DiscoveryOptions;
import dev.nimbus.proxmox.provider.ProxmoxProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * {@code bin/benchmark}: change-driven discovery against the naive strategy on a simulated cluster
 * of 16 nodes, at 1,000 and 10,000 guests, with 0 and 20 ms added to every Proxmox request.
 *
 * <p>Per cluster: the first run (nothing known yet), a steady-state re-run (nothing changed), and
 * the naive baseline (every guest's config on every run, one request at a time; it reads everything
 * every time, so one naive run stands for its first run and its re-runs). The simulator runs in a
 * separate JVM so its heap is not counted. Discovery runs in this JVM with the real {@link
 * ProxmoxProvider} and {@link CmdbService}, with the discovery function's defaults, over an {@link
 * InMemoryCiRepository}, which counts write requests and items exactly as the DynamoDB repository
 * issues them: the AWS emulator serves about 170 DynamoDB operations a second, far too slow to time
 * 10,000 CIs.
 */
public final class DiscoveryBenchmark {
  static final ConnectionRef REF = new ConnectionRef("bench", "sim");
  static final int NODES = 16;
  private static final Pattern DEFAULT = Pattern.compile("\\$\\{[A-Z_]+:([^}]*)}");

  /** One measured run. */
  public record Row(
      int guests,
      int latencyMs,
      Kind kind,
      long proxmoxCalls,
      long writeRequests,
      long writtenItems,
      int ciWrites,
      Duration wallTime,
      long peakHeapBytes,
      long liveHeapBytes,
      int problems,
      long tlsHandshakes,
      Duration discoveryCpu,
      Duration simulatorCpu) {}

  /** Which run of a cluster a row measures. */
  public enum Kind {
    WARM_UP("simulator warm-up"),
    FIRST("first run"),
    RERUN("re-run, no change"),
    NAIVE("naive baseline");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /**
   * The deployed discovery function's defaults, read from its application.properties.
   *
   * @param sweepRuns every guest config is re-read at least every this many runs
   * @param maxConcurrentRequests Proxmox calls in flight per connection
   */
  public record FunctionDefaults(int sweepRuns, int maxConcurrentRequests, boolean guestAgent) {
    static FunctionDefaults read() {
      Properties p = new Properties();
      try (InputStream in =
          DiscoveryBenchmark.class.getClassLoader().getResourceAsStream("application.properties")) {
        if (in == null) {
          throw new IllegalStateException(
              "the discovery function's application.properties is missing");
        }
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new FunctionDefaults(
          Integer.parseInt(defaultOf(p, "nimbus.discovery.sweep-runs")),
          Integer.parseInt(defaultOf(p, "nimbus.discovery.max-concurrent-requests")),
          Boolean.parseBoolean(defaultOf(p, "nimbus.discovery.guest-agent")));
    }

    /** The default of {@code ${VARIABLE:default}}. */
    private static String defaultOf(Properties p, String key) {
      String value = p.getProperty(key);
      Matcher m = DEFAULT.matcher(value == null ? "" : value);
      if (!m.matches()) {
        throw new IllegalStateException(key + " has no ${VARIABLE:default} value: " + value);
      }
      return m.group(1);
    }
  }

  private final FunctionDefaults defaults;
  private final PrintStream progress;
  private final Clock clock = Clock.systemUTC();

  DiscoveryBenchmark(FunctionDefaults defaults, PrintStream progress) {
    this.defaults = defaults;
    this.progress = progress;
  }

  public static void main(String[] args) throws IOException {
    List<Integer> guests = List.of(1_000, 10_000);
    List<Integer> latencies = List.of(0, 20);
    int nodes = NODES;
    Path report = Path.of("target/benchmark.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> guests = List.of(1_000);
        case "--guests" -> guests = numbers(args[++i]);
        case "--latency-ms" -> latencies = numbers(args[++i]);
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--report" -> report = Path.of(args[++i]);
        default ->
            throw new UsageException(
                "usage: bin/benchmark [--quick] [--guests 1000,10000] [--latency-ms 0,20]"
                    + " [--nodes 16] [--report file.md]");
      }
    }
    DiscoveryBenchmark benchmark = new DiscoveryBenchmark(FunctionDefaults.read(), System.err);
    // Unreported: the first measured run must not pay for class loading and JIT compilation.
    System.err.println("warm-up (not reported)");
    benchmark.cluster(2, 300, 0);
    List<Row> rows = new ArrayList<>();
    for (int g : guests) {
      for (int latency : latencies) {
        rows.addAll(benchmark.cluster(nodes, g, latency));
      }
    }
    String markdown = benchmark.report(rows, nodes);
    System.out.println(markdown);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, markdown + "\n");
    System.err.println("written to " + report);
  }

  /** The three runs on one simulated cluster. */
  List<Row> cluster(int nodes, int guests, int latencyMs) {
    progress.printf(
        "%,d guests on %d nodes, %d ms per request: starting the simulator%n",
        guests, nodes, latencyMs);
    try (SimulatorProcess sim = SimulatorProcess.start(nodes, guests, latencyMs)) {
      List<Row> rows = new ArrayList<>();
      DiscoveryOptions changeDriven =
          new DiscoveryOptions(defaults.sweepRuns(), defaults.guestAgent(), true);
      // The simulator is a fresh JVM: its first thousands of requests run interpreted and wait for
      // its JIT. A Proxmox server has no such warm-up, and the naive run, measured last, would get
      // a warm server where the first run got a cold one. One unreported run evens that out.
      progress.printf("  warming the simulator up (not reported)%n");
      measure(
          sim,
          guests,
          latencyMs,
          Kind.WARM_UP,
          changeDriven,
          defaults.maxConcurrentRequests(),
          new InMemoryCiRepository());
      InMemoryCiRepository cmdb = new InMemoryCiRepository();
      rows.add(
          measure(
              sim,
              guests,
              latencyMs,
              Kind.FIRST,
              changeDriven,
              defaults.maxConcurrentRequests(),
              cmdb));
      rows.add(
          measure(
              sim,
              guests,
              latencyMs,
              Kind.RERUN,
              changeDriven,
              defaults.maxConcurrentRequests(),
              cmdb));
      cmdb = null; // the naive run gets its own CMDB; this one must not count in its heap
      rows.add(
          measure(
              sim,
              guests,
              latencyMs,
              Kind.NAIVE,
              DiscoveryOptions.everyGuestEveryRun(),
              1,
              new InMemoryCiRepository()));
      return rows;
    }
  }

  private Row measure(
      SimulatorProcess sim,
      int guests,
      int latencyMs,
      Kind kind,
      DiscoveryOptions options,
      int concurrency,
      InMemoryCiRepository repository) {
    CmdbService cmdb = new CmdbService(repository, CmdbSettings.defaults(), clock);
    resetPeakHeap();
    LiveHeap live = new LiveHeap();
    long requestsBefore = repository.writeCalls();
    long itemsBefore = repository.writtenItems();
    SimulatorProcess.Stats simBefore = sim.stats();
    long cpuBefore = processCpuNanos();
    Instant startedAt = clock.instant();
    long t0 = System.nanoTime();
    ProxmoxClient client =
        ProxmoxClient.create(
            ClientSettings.builder(sim.url())
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(30))
                .maxConcurrentRequests(concurrency)
                .trust(new TlsTrust.PinnedFingerprints(sim.fingerprints()))
                .apiToken(sim.tokenId(), Secret.of(sim.tokenSecret()))
                .build(),
            clock);
    ProxmoxProvider provider = new ProxmoxProvider(client, REF, sim.tokenId(), options, clock);
    CmdbService.Session stored = cmdb.open(REF);
    DiscoverySnapshot snapshot =
        provider.discover(new DiscoveryScope.Everything(), stored.previousSnapshot());
    ApplyResult applied = stored.apply(snapshot);
    repository.saveRun(RunRecord.of(snapshot, applied, startedAt, clock.instant()));
    Duration wall = Duration.ofNanos(System.nanoTime() - t0);
    Duration cpu = Duration.ofNanos(processCpuNanos() - cpuBefore);
    SimulatorProcess.Stats simAfter = sim.stats();
    long peak = peakHeap();
    long liveMax = live.stop();
    Row row =
        new Row(
            guests,
            latencyMs,
            kind,
            client.callCount(),
            repository.writeCalls() - requestsBefore,
            repository.writtenItems() - itemsBefore,
            applied.changed(),
            wall,
            peak,
            liveMax,
            snapshot.problems().size(),
            simAfter.tlsHandshakes() - simBefore.tlsHandshakes(),
            cpu,
            simAfter.cpu().minus(simBefore.cpu()));
    if (simAfter.requests() - simBefore.requests() != row.proxmoxCalls()) {
      throw new IllegalStateException(
          "the simulator served "
              + (simAfter.requests() - simBefore.requests())
              + " requests, the client counted "
              + row.proxmoxCalls());
    }
    progress.printf(
        "  %-18s %,7d calls, %,5d TLS handshakes, %,6d CI writes, %8s (CPU %s + simulator %s),"
            + " peak heap %s, live %s%s%n",
        kind.label,
        row.proxmoxCalls(),
        row.tlsHandshakes(),
        row.ciWrites(),
        seconds(wall),
        seconds(row.discoveryCpu()),
        seconds(row.simulatorCpu()),
        megabytes(row.peakHeapBytes()),
        megabytes(row.liveHeapBytes()),
        row.problems() == 0
            ? ""
            : ", " + row.problems() + " problems, first: " + snapshot.problems().getFirst());
    return row;
  }

  /** The Markdown report: how it was measured, the table, and the targets checked. */
  String report(List<Row> rows, int nodes) {
    StringBuilder md = new StringBuilder();
    md.append("Discovery benchmark, ")
        .append(nodes)
        .append(" simulated nodes (PVE ")
        .append(SimulatorProcess.VERSION)
        .append("), measured ")
        .append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES))
        .append(" on ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ")
        .append(Runtime.version().feature())
        .append(", heap limit ")
        .append(megabytes(Runtime.getRuntime().maxMemory()))
        .append(".\n\n");
    md.append("Change-driven runs use the discovery function's defaults (sweep every ")
        .append(defaults.sweepRuns())
        .append(" runs, ")
        .append(defaults.maxConcurrentRequests())
        .append(
            " requests in flight); the naive baseline reads every guest's config on every run, one"
                + " request at a time. Writes are counted on the in-memory CMDB, which issues the"
                + " same requests as the DynamoDB one (the emulator is too slow to time). Live heap"
                + " is the most heap in use right after a collection during the run (or after a full"
                + " collection at its end): what the run needs, including the in-memory CMDB that in"
                + " Lambda is DynamoDB. Pool peaks is the sum of the heap pools' peaks, an upper"
                + " bound that also counts garbage not collected yet. TLS handshakes are counted by"
                + " the simulator. CPU is the processor time of the discovery JVM (all its threads,"
                + " garbage collection and JIT included) and of the simulator's JVM during the run:"
                + " less noisy than wall time on shared cores."
                + " The simulator runs in its own JVM on the same cores; a warm-up"
                + " run on a small cluster precedes the measurements, and one unreported run warms"
                + " each new simulator up.\n\n");
    md.append(
        "| guests | latency | run | Proxmox calls | TLS handshakes | DynamoDB writes (requests /"
            + " items) | CIs written | wall time | CPU (discovery / simulator) | live heap | pool"
            + " peaks | calls vs naive | time vs naive |\n");
    md.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      Row naive = naiveOf(rows, r);
      md.append(
          String.format(
              Locale.ROOT,
              "| %,d | %d ms | %s | %,d | %,d | %,d / %,d | %,d | %s | %s / %s | %s | %s | %s | %s"
                  + " |%n",
              r.guests(),
              r.latencyMs(),
              r.kind().label,
              r.proxmoxCalls(),
              r.tlsHandshakes(),
              r.writeRequests(),
              r.writtenItems(),
              r.ciWrites(),
              seconds(r.wallTime()),
              seconds(r.discoveryCpu()),
              seconds(r.simulatorCpu()),
              megabytes(r.liveHeapBytes()),
              megabytes(r.peakHeapBytes()),
              r.kind() == Kind.NAIVE ? "1x" : ratio(naive.proxmoxCalls(), r.proxmoxCalls()),
              r.kind() == Kind.NAIVE
                  ? "1x"
                  : ratio(naive.wallTime().toNanos(), r.wallTime().toNanos())));
    }
    md.append('\n').append(targets(rows));
    return md.toString();
  }

  /** The targets, each met or missed by how much, for this JVM's heap limit. */
  static String targets(List<Row> rows) {
    return targets(rows, Runtime.getRuntime().maxMemory());
  }

  /** The targets, each met or missed by how much, for runs under {@code heapLimit}. */
  static String targets(List<Row> rows, long heapLimit) {
    StringBuilder out = new StringBuilder();
    Row rerun = find(rows, 10_000, 20, Kind.RERUN);
    Row first = find(rows, 10_000, 20, Kind.FIRST);
    Row naive = find(rows, 10_000, 20, Kind.NAIVE);
    if (rerun != null && first != null && naive != null) {
      out.append("Targets at 10,000 guests and 20 ms:\n");
      check(
          out,
          "re-run makes at least 20x fewer Proxmox calls than naive",
          (double) naive.proxmoxCalls() / rerun.proxmoxCalls(),
          20);
      check(out, "re-run is at least 200x faster than naive", speedup(naive, rerun), 200);
      check(out, "first run is at least 15x faster than naive", speedup(naive, first), 15);
    }
    Row rerun0 = find(rows, 10_000, 0, Kind.RERUN);
    Row first0 = find(rows, 10_000, 0, Kind.FIRST);
    Row naive0 = find(rows, 10_000, 0, Kind.NAIVE);
    if (rerun0 != null && first0 != null && naive0 != null) {
      out.append("Targets at 10,000 guests and 0 ms:\n");
      check(out, "first run is at least as fast as naive", speedup(naive0, first0), 1);
      check(out, "re-run is at least 10x faster than naive", speedup(naive0, rerun0), 10);
    }
    boolean zeroWrites =
        rows.stream().filter(r -> r.kind() == Kind.RERUN).allMatch(r -> r.ciWrites() == 0);
    out.append("- an unchanged re-run writes zero CIs: ")
        .append(zeroWrites ? "met" : "MISSED")
        .append('\n');
    long peak = rows.stream().mapToLong(Row::peakHeapBytes).max().orElse(0);
    long live = rows.stream().mapToLong(Row::liveHeapBytes).max().orElse(0);
    long limit = heapLimit;
    boolean capped = limit <= 300L * 1024 * 1024;
    // What a run needs is the heap still in use after a collection; the pools' peaks also count
    // young garbage, which a smaller heap simply collects sooner. Running every scenario under a
    // 300 MB cap is the proof that it fits.
    out.append("- peak heap under 300 MB: ")
        .append(capped && live < limit ? "met" : "MISSED")
        .append(" (every run completed in a JVM capped at ")
        .append(megabytes(limit))
        .append("; highest heap in use after a collection ")
        .append(megabytes(live))
        .append("; highest sum of pool peaks, counting uncollected garbage, ")
        .append(megabytes(peak))
        .append(")\n");
    return out.toString();
  }

  private static double speedup(Row naive, Row run) {
    return (double) naive.wallTime().toNanos() / run.wallTime().toNanos();
  }

  private static void check(StringBuilder out, String target, double actual, double wanted) {
    out.append(
        String.format(
            Locale.ROOT,
            "- %s: %s (%.1fx%s)%n",
            target,
            actual >= wanted ? "met" : "MISSED",
            actual,
            actual >= wanted
                ? ""
                : String.format(Locale.ROOT, ", %.0f%% short", 100 * (1 - actual / wanted))));
  }

  private static Row naiveOf(List<Row> rows, Row r) {
    return find(rows, r.guests(), r.latencyMs(), Kind.NAIVE);
  }

  private static Row find(List<Row> rows, int guests, int latencyMs, Kind kind) {
    return rows.stream()
        .filter(r -> r.guests() == guests && r.latencyMs() == latencyMs && r.kind() == kind)
        .findFirst()
        .orElse(null);
  }

  static String ratio(long naive, long value) {
    return String.format(Locale.ROOT, "%.1fx", value == 0 ? 0.0 : (double) naive / value);
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.0f MB", bytes / (1024.0 * 1024.0));
  }

  /** Processor time of this JVM so far: every thread, garbage collection and JIT included. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.isValid())
        .toList();
  }

  private static void resetPeakHeap() {
    System.gc();
    heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** An upper bound: each pool's peak, summed, though the peaks need not coincide. */
  private static long peakHeap() {
    return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  /**
   * The most heap in use right after a collection while it listens, from the collectors'
   * notifications, and after a full collection when it stops: live data plus old-generation garbage
   * not collected yet, so a far better measure of what a run needs than the pools' peaks, which
   * count young garbage too.
   */
  private static final class LiveHeap implements NotificationListener {
    private final AtomicLong max = new AtomicLong();
    private final Set<String> heapPools =
        heapPools().stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

    LiveHeap() {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((NotificationEmitter) gc).addNotificationListener(this, null, null);
      }
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
      if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
        return;
      }
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long used =
          info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
              .filter(e -> heapPools.contains(e.getKey()))
              .mapToLong(e -> e.getValue().getUsed())
              .sum();
      max.accumulateAndGet(used, Math::max);
    }

    /** Stops listening; includes the heap in use after a full collection now. */
    long stop() {
      System.gc();
      long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        try {
          ((NotificationEmitter) gc).removeNotificationListener(this);
        } catch (ListenerNotFoundException ignored) {
          // never added
        }
      }
      return Math.max(max.get(), now);
    }
  }

  private static List<Integer> numbers(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }

  /**
   * A {@code PveSimulatorMain} in a JVM of its own, so the simulated cluster's heap and CPU time
   * are not the benchmark's. Its output says where it answers, with which token and certificates.
   */
  record SimulatorProcess(
      Process process,
      String url,
      String tokenId,
      String tokenSecret,
      Set<String> fingerprints,
      BlockingQueue<String> answers)
      implements AutoCloseable {
    static final String VERSION = "9.1";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern STATS =
        Pattern.compile("stats: requests=(\\d+) tls-handshakes=(\\d+)");

    /** What the simulator has served so far, and the processor time its JVM has used. */
    record Stats(long requests, long tlsHandshakes, Duration cpu) {}

    /** Asks the simulator for its counters (a {@code stats} line on its standard input). */
    Stats stats() {
      try {
        OutputStream in = process.getOutputStream();
        in.write("stats\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        String line = answers.poll(30, TimeUnit.SECONDS);
        Matcher m = line == null ? null : STATS.matcher(line);
        if (m == null || !m.matches()) {
          throw new IllegalStateException("the simulator did not answer stats: " + line);
        }
        Duration cpu = process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
        return new Stats(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), cpu);
      } catch (IOException e) {
        throw new UncheckedIOException("the simulator is gone", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the simulator", e);
      }
    }

    static SimulatorProcess start(int nodes, int guests, int latencyMs) {
      List<String> command =
          List.of(
              ProcessHandle.current().info().command().orElse("java"),
              "-Xmx2g",
              "-cp",
              System.getProperty("java.class.path"),
              "dev.nimbus.pvesim.PveSimulatorMain",
              "--version",
              VERSION,
              "--nodes",
              Integer.toString(nodes),
              "--guests",
              Integer.toString(guests),
              "--latency-ms",
              Integer.toString(latencyMs),
              "--auth-delay-ms",
              "0",
              "--seed",
              "2026");
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Ctrl-C on the benchmark must not leave the simulator behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "simulator-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the simulator", e);
      }
      try {
        return parse(process, nodes);
      } catch (RuntimeException e) {
        process.destroyForcibly();
        throw e;
      }
    }

    private static SimulatorProcess parse(Process process, int nodes) {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String url = null;
      String tokenId = null;
      String secret = null;
      Set<String> fingerprints = new LinkedHashSet<>();
      List<String> seen = new ArrayList<>();
      Instant deadline = Instant.now().plus(START_TIMEOUT);
      try {
        while (fingerprints.size() < nodes || url == null || tokenId == null || secret == null) {
          String line = lines.readLine();
          if (line == null || Instant.now().isAfter(deadline)) {
            throw new IllegalStateException(
                "the simulator did not start:\n" + String.join("\n", seen));
          }
          if (line.startsWith("token value:")) {
            secret = line.substring("token value:".length()).strip();
            seen.add("token value: ****");
            continue;
          }
          seen.add(line);
          if (line.startsWith("url:")) {
            url = line.substring(4).strip();
          } else if (line.startsWith("token id:")) {
            tokenId = line.substring("token id:".length()).strip();
          } else if (line.startsWith("fingerprint:")) {
            // fingerprint: <node> <SHA-256> <url>
            fingerprints.add(line.substring("fingerprint:".length()).strip().split("\\s+")[1]);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // Keep reading so the simulator never blocks on a full pipe; keep only its answers.
      BlockingQueue<String> answers = new LinkedBlockingQueue<>();
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try {
                  for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("stats:")) {
                      answers.add(line);
                    }
                  }
                } catch (IOException ignored) {
                  // the simulator is gone
                }
              });
      return new SimulatorProcess(process, url, tokenId, secret, Set.copyOf(fingerprints), answers);
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }

    @Override
    public String toString() {
      return "SimulatorProcess[" + url + ", token " + tokenId + "]";
    }
  }
}
