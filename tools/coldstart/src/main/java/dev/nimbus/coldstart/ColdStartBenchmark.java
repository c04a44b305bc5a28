package dev.nimbus.coldstart;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.testing.aws.AwsBackend;
import dev.nimbus.testing.aws.AwsEmulator;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.aws.TemplateTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bin/coldstart}: for each function, JVMs started on its shaded jar (plus the probe's jar
 * and the two jars the Lambda runtime provides, and nothing else) that handle one event which does
 * no work: a schedule tick with nothing due (one DynamoDB query on the emulator), an empty SQS
 * batch, an empty stream batch. Measured: wall clock from just before the process is started to the
 * probe's "first event handled", under four JVM set-ups: default, C1 only ({@code
 * -XX:TieredStopAtLevel=1}, the template's setting), with a JDK 25 AOT cache trained on one run of
 * the same event, and both. A second table shows the first event after initialisation without and
 * with the SnapStart priming hooks run, which is what a SnapStart restore sees. Every JVM uses the
 * serial collector, the one the JVM picks in a 512 MB Lambda.
 *
 * <p>Every answer is checked (no batch failure, nothing due), so a failing start is never timed.
 */
public final class ColdStartBenchmark {
  private static final String TABLE = "nimbus-coldstart";
  private static final List<String> COMMON_FLAGS =
      Stream.concat(
              Stream.of("-XX:+UseSerialGC"),
              Stream.of(System.getenv().getOrDefault("NIMBUS_COLDSTART_FLAGS", "").split(" "))
                  .filter(flag -> !flag.isBlank()))
          .toList();

  /**
   * The jars the Lambda runtime provides (core and serialization), taken from this JVM's class
   * path: the function's jar leaves them out ({@code provided}) because the runtime brings them.
   */
  static final List<Path> RUNTIME_JARS =
      Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
          .filter(
              p ->
                  p.contains("aws-lambda-java-core-")
                      || p.contains("aws-lambda-java-serialization-"))
          .map(Path::of)
          .toList();

  /**
   * One function of one jar, with the event it handles and what its answer must contain, started by
   * {@code probe} (the Lambda runtime's part).
   */
  record Function(
      String name,
      String module,
      String mainClass,
      String event,
      String expectedAnswer,
      Class<?> probe) {
    Function(String name, String module, String mainClass, String event, String expectedAnswer) {
      this(name, module, mainClass, event, expectedAnswer, ColdStartProbe.class);
    }

    /** Whether a SnapStart restore applies: zip functions only, floors have nothing to prime. */
    boolean primable() {
      return probe == ColdStartProbe.class
          && !module.equals("pulumi-runner")
          && !mainClass.equals(FrameworkFloorApplication.class.getName());
    }
  }

  /** A JVM set-up. */
  record Variant(String label, List<String> flags, boolean aot) {}

  /**
   * Every function of template.yaml, each with an event that does no work but still goes through
   * its whole path (its AWS clients, its JSON mapping, its answer): a tick with nothing due, empty
   * SQS and stream batches, a replay and a status request for things that do not exist, a scheduled
   * usage sample with no connection, and the wizard listing a tenant's (no) connections.
   */
  static final List<Function> FUNCTIONS =
      List.of(
          new Function(
              "scheduleDiscovery",
              "discovery",
              "dev.nimbus.discovery.DiscoveryApplication",
              "schedule-tick.json",
              "\"due\":0"),
          new Function(
              "runDiscovery",
              "discovery",
              "dev.nimbus.discovery.DiscoveryApplication",
              "empty-sqs-batch.json",
              "\"batchItemFailures\":[]"),
          new Function(
              "ciEvents",
              "ci-events",
              "dev.nimbus.events.CiEventsApplication",
              "empty-stream-batch.json",
              "\"batchItemFailures\":[]"),
          new Function(
              "deliverWebhooks",
              "ci-events",
              "dev.nimbus.events.CiEventsApplication",
              "empty-sqs-batch.json",
              "\"batchItemFailures\":[]"),
          new Function(
              "replayWebhooks",
              "ci-events",
              "dev.nimbus.events.CiEventsApplication",
              "webhook-replay.json",
              "\"delivered\":0"),
          new Function(
              "sampleUsage",
              "usage",
              "dev.nimbus.usagefn.UsageApplication",
              "usage-schedule.json",
              "\"samples\":[]"),
          new Function(
              "wizardApi",
              "wizard",
              "dev.nimbus.wizard.api.WizardApplication",
              "wizard-list-connections.json",
              "\"statusCode\":200"),
          new Function(
              "deploy",
              "pulumi-runner",
              "dev.nimbus.pulumi.runner.PulumiRunnerApplication",
              "runner-status.json",
              "\"status\":404"),
          new Function(
              "driftAfterDiscovery",
              "pulumi-runner",
              "dev.nimbus.pulumi.runner.PulumiRunnerApplication",
              "empty-stream-batch.json",
              "\"batchItemFailures\":[]"));

  /**
   * Two floors measured beside the functions, on the discovery function's jar (the dependencies
   * every zip function has): the framework alone ({@link FrameworkFloorApplication}: Spring Boot,
   * Spring Cloud Function and the AWS adapter answering a constant) and the AWS SDK alone ({@link
   * SdkFloorProbe}: the DynamoDB client built as the functions build it, and the tick's one Query,
   * without Spring). A function's row minus the framework floor is what its own beans cost.
   */
  static final List<Function> FLOORS =
      List.of(
          new Function(
              "frameworkFloor",
              "discovery",
              FrameworkFloorApplication.class.getName(),
              "schedule-tick.json",
              "\"floor\":true"),
          new Function(
              "sdkFloor",
              "discovery",
              "",
              "schedule-tick.json",
              "\"count\":0",
              SdkFloorProbe.class));

  static final List<Variant> VARIANTS =
      List.of(
          new Variant("default", List.of(), false),
          new Variant("C1 only", List.of("-XX:TieredStopAtLevel=1"), false),
          new Variant("AOT cache", List.of(), true),
          new Variant("AOT cache + C1", List.of("-XX:TieredStopAtLevel=1"), true));

  /** One probe run: milliseconds from process start to initialised and to the event handled. */
  record Sample(double toInitialised, double toHandled, double firstEvent, double cpu) {}

  private final Path root;
  private final Path work;
  private final Path probeJar;
  private final Map<String, String> environment;
  private final int runs;

  private final List<Function> functions;

  ColdStartBenchmark(
      Path root,
      Path probeJar,
      Map<String, String> environment,
      int runs,
      List<Function> functions) {
    this.root = root;
    this.functions = functions;
    this.work = root.resolve("tools/coldstart/target/coldstart");
    this.probeJar = probeJar;
    this.environment = environment;
    this.runs = runs;
  }

  public static void main(String[] args) throws Exception {
    int runs = 3;
    Path report = null;
    List<Function> functions = new ArrayList<>(FUNCTIONS);
    functions.addAll(FLOORS);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--quick" -> runs = 1;
        case "--report" -> report = Path.of(args[++i]);
        case "--functions" -> functions = select(args[++i]);
        default -> {
          System.err.println(
              "usage: bin/coldstart [--runs N | --quick] [--functions a,b] [--report FILE]");
          System.exit(2);
        }
      }
    }
    Path root = TemplateTable.locateTemplate().getParent();
    Path probe = jar(root.resolve("tools/coldstart/target"), "nimbus-coldstart-", ".jar");
    AwsBackend backend = AwsEmulator.backend();
    try (AwsClients clients = AwsTestEnvironment.clientsFor(backend)) {
      var dynamo = clients.dynamoDb();
      if (!dynamo.listTables().tableNames().contains(TABLE)) {
        TemplateTable.read(TemplateTable.locateTemplate()).create(dynamo, TABLE);
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_REGION", backend.region());
    env.put("AWS_ENDPOINT_URL", backend.endpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("TABLE_NAME", TABLE);
    env.put("TOKEN_KEY_ID", "alias/nimbus-coldstart");
    env.put("DISCOVERY_QUEUE_URL", backend.endpoint() + "/000000000000/nimbus-coldstart");
    env.put("EVENT_BUS_NAME", "nimbus-coldstart");
    // Required by ci-events since webhook delivery moved to a queue of its own (an empty stream
    // batch queues nothing, so the queue need not exist).
    env.put("WEBHOOK_DELIVERY_QUEUE_URL", backend.endpoint() + "/000000000000/nimbus-coldstart-wh");
    env.put("USAGE_FUNCTION_NAME", "nimbus-coldstart-usage");
    env.put("RUNNER_FUNCTION_NAME", "nimbus-coldstart-runner");
    env.put("WIZARD_TENANT_CLAIM", "custom:tenant");
    env.put("WIZARD_PREVIEW_FUNCTION", "nimbus-coldstart-wizard:live");
    env.put("METRICS_NAMESPACE", "Nimbus/coldstart");
    // The Pulumi runner's state bucket and secrets key are only reached by a deployment; a status
    // request reads the table. Its directories go under target, not /tmp of a shared machine.
    Path pulumi = root.resolve("tools/coldstart/target/coldstart/pulumi");
    env.put("PULUMI_STATE_BUCKET", "nimbus-coldstart-state");
    env.put("PULUMI_STATE_PREFIX", "stacks");
    env.put("PULUMI_KMS_KEY", "alias/nimbus-coldstart-pulumi");
    env.put("PULUMI_HOME", pulumi.resolve("home").toString());
    env.put("PULUMI_WORK_ROOT", pulumi.resolve("runs").toString());
    String table = new ColdStartBenchmark(root, probe, env, runs, functions).measure();
    System.out.print(table);
    if (report != null) {
      Files.createDirectories(report.toAbsolutePath().getParent());
      Files.writeString(report, table);
    }
    System.exit(0);
  }

  String measure() throws IOException, InterruptedException {
    Files.createDirectories(work);
    StringBuilder main = new StringBuilder();
    main.append("JVM start to first handled event: wall ms / CPU ms of the JVM, median of ")
        .append(runs)
        .append(runs > 1 ? " (min-max)" : "")
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, load average ")
        .append(loadAverage())
        .append(" at the start, ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(Runtime.version())
        .append(", ")
        .append(String.join(" ", COMMON_FLAGS))
        .append(":\n\n| function | jar | ");
    VARIANTS.forEach(v -> main.append(v.label()).append(" | "));
    main.append("AOT cache size |\n|---|---:|");
    VARIANTS.forEach(v -> main.append("---:|"));
    main.append("---:|\n");
    StringBuilder priming =
        new StringBuilder(
            "\nFirst event after initialisation (what a SnapStart restore pays), C1 only, wall ms,"
                + " median:\n\n| function | not primed | primed (SnapStartPriming hooks run) |\n"
                + "|---|---:|---:|\n");
    for (Function f : functions) {
      // The shade plugin writes every function's jar as target/function.jar (the CodeUri).
      Path jar = root.resolve("functions/" + f.module() + "/target/function.jar");
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing: build it with mvn -DskipTests package");
      }
      Path event = work.resolve(f.event());
      try (InputStream in =
          ColdStartBenchmark.class.getResourceAsStream("/coldstart/" + f.event())) {
        Files.write(event, in.readAllBytes());
      }
      Path cache = work.resolve(f.name() + ".aot");
      Files.deleteIfExists(cache);
      // Training: one run of the same event writes the cache when the JVM exits.
      run(f, jar, event, List.of("-XX:AOTCacheOutput=" + cache), false);
      if (!Files.isRegularFile(cache)) {
        throw new IllegalStateException("the training run wrote no AOT cache at " + cache);
      }
      main.append("| ")
          .append(f.name())
          .append(" | ")
          .append(megabytes(Files.size(jar)))
          .append(" | ");
      for (Variant v : VARIANTS) {
        List<String> flags = new ArrayList<>(v.flags());
        if (v.aot()) {
          flags.add("-XX:AOTCache=" + cache);
        }
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          samples.add(run(f, jar, event, flags, false));
        }
        String wall = summary(samples.stream().map(Sample::toHandled).toList());
        String cpu = summary(samples.stream().map(Sample::cpu).toList());
        main.append(wall).append(" / ").append(cpu).append(" | ");
        System.err.printf("%s, %s: %s ms wall, %s ms CPU%n", f.name(), v.label(), wall, cpu);
      }
      main.append(megabytes(Files.size(cache))).append(" |\n");
      if (!f.primable()) {
        // The runner is deployed as a container image (the Pulumi CLI and plugin beside the JVM),
        // and Lambda offers SnapStart for zip functions only: nothing is restored, nothing to
        // prime. The floors register no priming.
        priming
            .append("| ")
            .append(f.name())
            .append(
                f.module().equals("pulumi-runner")
                    ? " | n/a: image function, no SnapStart | |\n"
                    : " | n/a: floor | |\n");
        continue;
      }
      List<Double> plain = new ArrayList<>();
      List<Double> primed = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        plain.add(run(f, jar, event, List.of("-XX:TieredStopAtLevel=1"), false).firstEvent());
        primed.add(run(f, jar, event, List.of("-XX:TieredStopAtLevel=1"), true).firstEvent());
      }
      priming
          .append("| ")
          .append(f.name())
          .append(" | ")
          .append(summary(plain))
          .append(" | ")
          .append(summary(primed))
          .append(" |\n");
    }
    return main.append(priming).toString();
  }

  /** The functions named in a comma-separated list, in the order given. */
  static List<Function> select(String names) {
    List<Function> selected = new ArrayList<>();
    for (String name : names.split(",")) {
      selected.add(
          Stream.concat(FUNCTIONS.stream(), FLOORS.stream())
              .filter(f -> f.name().equals(name.trim()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no function "
                              + name.trim()
                              + "; known: "
                              + Stream.concat(FUNCTIONS.stream(), FLOORS.stream())
                                  .map(Function::name)
                                  .toList())));
    }
    return selected;
  }

  /** One JVM: starts it, waits for the probe's line, checks the answer. */
  Sample run(Function f, Path jar, Path event, List<String> flags, boolean snapStart)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(COMMON_FLAGS);
    command.addAll(flags);
    command.addAll(
        List.of(
            "-cp",
            String.join(
                java.io.File.pathSeparator,
                Stream.concat(Stream.of(jar, probeJar), RUNTIME_JARS.stream())
                    .map(Path::toString)
                    .toList()),
            f.probe().getName(),
            f.name(),
            event.toString()));
    if (snapStart) {
      command.add("--snapstart");
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("MAVEN_OPTS");
    builder.environment().putAll(environment);
    if (!f.mainClass().isEmpty()) {
      builder.environment().put("MAIN_CLASS", f.mainClass());
    }
    builder.environment().put("SPRING_CLOUD_FUNCTION_DEFINITION", f.name());
    Instant started = Instant.now();
    Process process = builder.start();
    List<String> output = new ArrayList<>();
    String marker = null;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        output.add(line);
        if (line.startsWith(ColdStartProbe.MARKER)) {
          marker = line;
        }
      }
    }
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(f.name() + " did not exit");
    }
    if (marker == null
        || !marker.contains(f.expectedAnswer())
        || (snapStart && field(marker, "primed") == 0)) {
      throw new IllegalStateException(
          f.name()
              + " did not handle its event as expected"
              + (snapStart ? " or registered no priming" : "")
              + " (exit "
              + process.exitValue()
              + "):\n"
              + String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size())));
    }
    long start = ColdStartProbe.micros(started);
    long initialised = field(marker, "initialised");
    long restored = field(marker, "restored");
    long handled = field(marker, "handled");
    return new Sample(
        (initialised - start) / 1000.0,
        (handled - start) / 1000.0,
        (handled - restored) / 1000.0,
        field(marker, "cpu") / 1000.0);
  }

  /** The one-minute load average: the measurement's context on a shared machine. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return String.format(
          Locale.ROOT,
          "%.1f",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  static long field(String marker, String name) {
    for (String part : marker.split(" ")) {
      if (part.startsWith(name + "=")) {
        return Long.parseLong(part.substring(name.length() + 1));
      }
    }
    throw new IllegalArgumentException("no " + name + " in " + marker);
  }

  /** {@code 612 (598-640)}: median, then the range. */
  static String summary(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    double median =
        sorted.size() % 2 == 1
            ? sorted.get(sorted.size() / 2)
            : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    if (sorted.size() == 1) {
      return String.format(Locale.ROOT, "%.0f", median);
    }
    return String.format(
        Locale.ROOT, "%.0f (%.0f-%.0f)", median, sorted.getFirst(), sorted.getLast());
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1_048_576.0);
  }

  static Path jar(Path dir, String prefix, String suffix) {
    try (Stream<Path> files = Files.list(dir)) {
      Optional<Path> jar =
          files
              .filter(p -> p.getFileName().toString().startsWith(prefix))
              .filter(p -> p.getFileName().toString().endsWith(suffix))
              .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
              .filter(
                  p -> suffix.equals("-aws.jar") || !p.getFileName().toString().contains("-aws"))
              .findFirst();
      return jar.orElseThrow(
          () -> new IllegalStateException("no " + prefix + "*" + suffix + " in " + dir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + " (build first)", e);
    }
  }
}
