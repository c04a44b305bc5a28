package dev.nimbus.local;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.Connection;
import dev.nimbus.connections.ConnectionDraft;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.RunSummary;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.discovery.DiscoveryApplication;
import dev.nimbus.discovery.DiscoveryRequest;
import dev.nimbus.events.CiChangeEvent;
import dev.nimbus.events.CiEventsLocal;
import dev.nimbus.local.LocalOptions.RealProxmox;
import dev.nimbus.local.LocalOptions.UsageException;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import dev.nimbus.model.SemanticType;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.lambda.LambdaHarness;
import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code bin/discover}: one discovery of one connection through the real Lambda handlers, against
 * the background {@link LocalEnvironment} (started when none runs). Five phases, one progress line
 * each: the AWS environment, the Proxmox side, the connection, the schedule tick ({@code
 * scheduleDiscovery} with a ScheduledEvent) and the run ({@code runDiscovery} with the SQSEvent of
 * the queued message). Then a summary read back from the CMDB (the run record and the CIs) and the
 * change events of the run, read from the table's stream as the ci-events function would.
 *
 * <p>With {@code --output json} the CIs go to stdout as JSON and everything else to stderr. The
 * exit code is 0 when the run succeeded, 1 when it failed, 2 for a bad command line.
 */
public final class LocalRun {
  static final int MAX_EVENT_LINES = 25;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(30);

  private final EnvironmentInfo env;
  private final LocalOptions options;
  private final PrintStream out;
  private final PrintStream progress;
  private final Map<String, String> variables;
  private final Clock clock;

  /**
   * @param out where the summary (text) or the CIs (JSON) go
   * @param err where progress goes in JSON mode, and problems always
   * @param variables the process environment ({@code PROXMOX_TOKEN_SECRET})
   */
  public LocalRun(
      EnvironmentInfo env,
      LocalOptions options,
      PrintStream out,
      PrintStream err,
      Map<String, String> variables,
      Clock clock) {
    this.env = env;
    this.options = options;
    this.out = out;
    this.progress = options.output() == LocalOptions.Output.JSON ? err : out;
    this.variables = variables;
    this.clock = clock;
  }

  /** What one local run found, for callers that want more than the printed text. */
  public record Result(
      ConnectionRef connection,
      boolean succeeded,
      RunRecord run,
      List<StoredCi> cis,
      List<CiChangeEvent> events) {
    /** CIs the run wrote: created, updated, recovered or deleted. */
    public int ciWrites() {
      return run.created() + run.updated() + run.recovered() + run.deleted();
    }
  }

  public static void main(String[] args) {
    int code;
    try {
      code = main(Arrays.asList(args), localDir(), System.out, System.err);
    } catch (UsageException e) {
      System.err.println(e.getMessage());
      code = 2;
    } catch (RuntimeException e) {
      System.err.println("bin/discover failed: " + e);
      code = 1;
    }
    System.out.flush();
    // The handlers' Spring contexts leave non-daemon threads behind.
    System.exit(code);
  }

  /** The directory of the environment's files, {@code .local} in the working directory. */
  public static Path localDir() {
    return Path.of(System.getProperty("nimbus.local.dir", ".local")).toAbsolutePath();
  }

  static int main(List<String> args, Path dir, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(LocalOptions.USAGE);
      return 0;
    }
    LocalOptions options = LocalOptions.parse(args);
    PrintStream progress = options.output() == LocalOptions.Output.JSON ? err : out;
    if (options.stop()) {
      stopEnvironment(dir, progress);
      return 0;
    }
    if (options.reset()) {
      stopEnvironment(dir, progress);
      forget(dir);
    }
    EnvironmentInfo env = ensureEnvironment(dir, args, options, progress);
    Result result = new LocalRun(env, options, out, err, System.getenv(), Clock.systemUTC()).run();
    return result.succeeded() ? 0 : 1;
  }

  /** Runs the five phases and prints the summary. */
  public Result run() {
    AwsClients clients = AwsTestEnvironment.clientsFor(env.backend());
    try {
      return run(clients);
    } finally {
      clients.close();
    }
  }

  private Result run(AwsClients clients) {
    progress.printf(
        "[1/5] AWS: %s at %s; table %s, key %s, queue %s, event bus %s%n",
        env.backendKind().toLowerCase(Locale.ROOT),
        env.awsEndpoint(),
        env.tableName(),
        env.keyAlias(),
        env.queueUrl().substring(env.queueUrl().lastIndexOf('/') + 1),
        env.eventBusName());

    ConnectionService connections =
        ConnectionService.create(
            clients, new ConnectionsConfig(env.tableName(), env.keyAlias()), clock);
    ConnectionRef ref;
    if (options.real().isPresent()) {
      RealProxmox real = options.real().get();
      progress.printf(
          "[2/5] Proxmox: %s (%s)%n",
          real.endpoint(),
          real.fingerprints().isEmpty()
              ? "CA " + real.caFile().orElseThrow()
              : "pinned "
                  + real.fingerprints().entrySet().stream()
                      .map(e -> e.getKey() + " " + abbreviate(e.getValue()))
                      .collect(Collectors.joining(", ")));
      ref = registerReal(connections, real);
    } else {
      EnvironmentInfo.SimulatorInfo sim =
          env.simulatorInfo()
              .orElseThrow(
                  () ->
                      new UsageException(
                          "the running environment has no simulator (it was started for a real"
                              + " Proxmox): give --endpoint, or bin/discover --reset"));
      progress.printf(
          "[2/5] Proxmox: simulator PVE %s, %d nodes, %d guests at %s (%s %s)%n",
          sim.version(),
          sim.nodes(),
          sim.guests(),
          sim.url(),
          sim.entryNode(),
          abbreviate(sim.fingerprint()));
      ref = env.simulatorConnection().orElseThrow();
    }

    Connection connection =
        connections
            .find(ref)
            .orElseThrow(() -> new IllegalStateException("connection " + ref + " is missing"));
    progress.printf(
        "[3/5] Connection %s \"%s\": token %s (secret KMS-encrypted under %s), %s, last run %s%n",
        ref,
        connection.name(),
        connection.tokenId(),
        env.keyAlias(),
        connection.status(),
        connection.lastRun().map(r -> time(r.startedAt())).orElse("never"));

    CiEventsLocal events = CiEventsLocal.open(clients, env.tableName(), env.eventBusName());
    Instant tickAt = clock.instant();
    try (SqsClient sqs = clients.sqs();
        LambdaHarness schedule = handler("scheduleDiscovery")) {
      tick(schedule, connections, sqs, ref);
    }
    try (SqsClient sqs = clients.sqs();
        LambdaHarness runner = handler("runDiscovery")) {
      runQueued(runner, sqs, ref);
    }

    DynamoDbCiRepository cmdb =
        new DynamoDbCiRepository(clients.dynamoDb(), env.tableName(), CmdbSettings.defaults());
    RunRecord run =
        cmdb.latestRuns(ref, 1).stream()
            .filter(r -> !r.startedAt().isBefore(tickAt.truncatedTo(ChronoUnit.MILLIS)))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no run of " + ref + " was recorded"));
    List<StoredCi> cis = cmdb.allOfConnection(ref);
    boolean succeeded =
        connections.find(ref).flatMap(Connection::lastRun).map(RunSummary::succeeded).orElse(false);
    List<CiChangeEvent> changes = events.drain();
    Result result = new Result(ref, succeeded, run, cis, changes);
    if (options.output() == LocalOptions.Output.JSON) {
      out.println(CiJson.write(CiJson.toJson(cis)));
      printSummary(result, progress);
    } else {
      printSummary(result, out);
    }
    return result;
  }

  /** The scheduler tick; a connection that is not due yet gets a "discover now" message instead. */
  private void tick(
      LambdaHarness schedule, ConnectionService connections, SqsClient sqs, ConnectionRef ref) {
    ObjectNode event =
        (ObjectNode) JSON.readTree(LambdaHarness.fixture("local-run/scheduled-event.json"));
    event.put("id", UUID.randomUUID().toString());
    event.put("time", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    JsonNode tick = JSON.readTree(schedule.invoke(JSON.writeValueAsBytes(event)));
    List<String> queued = new ArrayList<>();
    tick.path("connections").forEach(c -> queued.add(c.asString()));
    if (queued.contains(ref.toString())) {
      progress.printf(
          "[4/5] Schedule tick (scheduleDiscovery, ScheduledEvent): %d due, queued %s%n",
          tick.path("due").asInt(), String.join(", ", queued));
      return;
    }
    String nextDue =
        connections
            .find(ref)
            .flatMap(Connection::nextDueAt)
            .map(LocalRun::time)
            .orElse("not scheduled");
    sqs.sendMessage(
        b ->
            b.queueUrl(env.queueUrl())
                .messageBody(JSON.writeValueAsString(DiscoveryRequest.of(ref))));
    progress.printf(
        "[4/5] Schedule tick (scheduleDiscovery, ScheduledEvent): %s is not due before %s;"
            + " queued a discover-now request for it%n",
        ref, nextDue);
  }

  /** Receives the queued messages and hands them to {@code runDiscovery} as SQS would. */
  private void runQueued(LambdaHarness runner, SqsClient sqs, ConnectionRef ref) {
    String body = JSON.writeValueAsString(DiscoveryRequest.of(ref));
    String queueArn =
        sqs.getQueueAttributes(
                b -> b.queueUrl(env.queueUrl()).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    Map<String, Message> received = new LinkedHashMap<>();
    Instant deadline = clock.instant().plus(RECEIVE_TIMEOUT);
    while (received.values().stream().noneMatch(m -> m.body().equals(body))) {
      if (clock.instant().isAfter(deadline)) {
        throw new IllegalStateException("the discovery message for " + ref + " never arrived");
      }
      sqs.receiveMessage(
              b ->
                  b.queueUrl(env.queueUrl())
                      .maxNumberOfMessages(10)
                      .waitTimeSeconds(1)
                      .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
          .messages()
          .forEach(m -> received.put(m.messageId(), m));
    }
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message m : received.values()) {
      ObjectNode r = records.addObject();
      r.put("messageId", m.messageId());
      r.put("receiptHandle", m.receiptHandle());
      r.put("body", m.body());
      ObjectNode attributes = r.putObject("attributes");
      m.attributesAsStrings().forEach(attributes::put);
      r.putObject("messageAttributes");
      r.put("md5OfBody", m.md5OfBody());
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", queueArn);
      r.put("awsRegion", env.region());
    }
    long started = System.nanoTime();
    JsonNode response = JSON.readTree(runner.invoke(JSON.writeValueAsBytes(event)));
    List<String> failed = new ArrayList<>();
    response
        .path("batchItemFailures")
        .forEach(f -> failed.add(f.path("itemIdentifier").asString()));
    // As the event source mapping does: delete what succeeded; a failure stays for redelivery.
    for (Message m : received.values()) {
      if (!failed.contains(m.messageId())) {
        sqs.deleteMessage(b -> b.queueUrl(env.queueUrl()).receiptHandle(m.receiptHandle()));
      }
    }
    progress.printf(
        "[5/5] Run (runDiscovery, SQSEvent with %d message%s): %s in %.1f s%n",
        received.size(),
        received.size() == 1 ? "" : "s",
        failed.isEmpty() ? "done" : failed.size() + " failed, left on the queue for a retry",
        (System.nanoTime() - started) / 1e9);
  }

  private static void printSummary(Result r, PrintStream to) {
    RunRecord run = r.run();
    Map<SemanticType, Integer> byType = new EnumMap<>(SemanticType.class);
    int relationships = 0;
    int deleted = 0;
    for (StoredCi ci : r.cis()) {
      if (ci.status() == CiStatus.RESOURCE_DELETED) {
        deleted++;
        continue;
      }
      byType.merge(ci.item().semanticType(), 1, Integer::sum);
      relationships += ci.item().relationships().size();
    }
    to.println();
    to.printf(
        "Discovery of %s %s in %.1f s%n",
        r.connection(),
        r.succeeded() ? (run.partial() ? "finished with problems" : "succeeded") : "FAILED",
        run.duration().toMillis() / 1000.0);
    to.printf(
        "  CIs            %d: %s%s%n",
        byType.values().stream().mapToInt(Integer::intValue).sum(),
        byType.entrySet().stream()
            .map(e -> e.getValue() + " " + typeName(e.getKey()))
            .collect(Collectors.joining(", ")),
        deleted == 0 ? "" : " (and " + deleted + " deleted)");
    to.printf("  relationships  %d%n", relationships);
    to.printf(
        "  this run       %d created, %d updated, %d deleted, %d unreachable, %d recovered,"
            + " %d unchanged%n",
        run.created(),
        run.updated(),
        run.deleted(),
        run.unreachable(),
        run.recovered(),
        run.unchanged());
    to.printf("  CI writes      %d%n", r.ciWrites());
    to.printf("  Proxmox calls  %d%n", run.providerCalls());
    to.printf(
        "  DynamoDB       %d write request%s, %d item%s (and 1 for this run record)%n",
        run.dynamoDbWriteRequests(),
        run.dynamoDbWriteRequests() == 1 ? "" : "s",
        run.dynamoDbWrittenItems(),
        run.dynamoDbWrittenItems() == 1 ? "" : "s");
    if (!run.partialScopes().isEmpty()) {
      to.printf("  unreachable    %s%n", String.join(", ", run.partialScopes()));
    }
    if (run.errors().isEmpty()) {
      to.println("  problems       none");
    } else {
      to.printf("  problems       %d%n", run.errors().size());
      run.errors().forEach(e -> to.println("    " + e));
    }
    if (r.events().isEmpty()) {
      to.println("Change events: none");
      return;
    }
    to.printf("Change events (%d):%n", r.events().size());
    r.events().stream().limit(MAX_EVENT_LINES).forEach(e -> to.println("  " + e.summary()));
    if (r.events().size() > MAX_EVENT_LINES) {
      to.printf(
          "  ... and %d more (--output json lists every CI)%n",
          r.events().size() - MAX_EVENT_LINES);
    }
  }

  /** {@code SECURITY_GROUP} reads as {@code SecurityGroup}. */
  static String typeName(SemanticType type) {
    return Arrays.stream(type.name().split("_"))
        .map(w -> w.charAt(0) + w.substring(1).toLowerCase(Locale.ROOT))
        .collect(Collectors.joining());
  }

  /**
   * Registers a real Proxmox as {@code local/<name>} the first time (asking for the secret then),
   * and updates its settings when the command line changed them.
   */
  private ConnectionRef registerReal(ConnectionService connections, RealProxmox real) {
    ConnectionRef ref = new ConnectionRef(env.tenantId(), real.name());
    ConnectionSettings settings = settingsOf(real);
    Optional<Connection> existing = connections.find(ref);
    if (existing.isEmpty()) {
      connections.create(
          ref.tenantId(),
          new ConnectionDraft(ref.connectionId(), settings, secret(real.tokenId()), Map.of()),
          LocalEnvironment.ACTOR);
      progress.printf("      registered %s; its token secret is stored KMS-encrypted only%n", ref);
    } else if (!existing.get().settings().equals(settings)) {
      connections.update(ref, existing.get().version(), settings, LocalEnvironment.ACTOR);
      progress.printf("      updated the settings of %s%n", ref);
    }
    return ref;
  }

  static ConnectionSettings settingsOf(RealProxmox real) {
    URI uri = URI.create(real.endpoint());
    String host = LocalOptions.hostOf(real.endpoint());
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    if (path.endsWith("/api2/json")) {
      path = path.substring(0, path.length() - "/api2/json".length());
    }
    TlsTrust tls;
    if (!real.fingerprints().isEmpty()) {
      tls = TlsTrust.pinned(real.fingerprints());
    } else {
      Path ca = real.caFile().orElseThrow();
      try {
        tls = TlsTrust.certificateAuthority(Files.readString(ca));
      } catch (IOException e) {
        throw new UsageException("cannot read --ca-file " + ca + ": " + e.getMessage());
      }
    }
    return new ConnectionSettings(
        "Proxmox VE " + host,
        new Endpoint(
            host,
            uri.getPort() < 0 ? Endpoint.DEFAULT_PORT : uri.getPort(),
            path.isEmpty() ? Optional.empty() : Optional.of(path)),
        Optional.empty(),
        tls,
        real.tokenId(),
        new DiscoveryScope.Everything(),
        "rate(15 minutes)");
  }

  /** The token secret from {@code PROXMOX_TOKEN_SECRET}, else from a prompt without echo. */
  private Secret secret(String tokenId) {
    String fromEnv = variables.get(LocalOptions.SECRET_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Secret.of(fromEnv.strip());
    }
    Console console = System.console();
    if (console == null) {
      throw new UsageException(
          "no token secret: set "
              + LocalOptions.SECRET_VARIABLE
              + " (there is no terminal to prompt on)");
    }
    char[] typed = console.readPassword("Secret of API token %s: ", tokenId);
    if (typed == null || typed.length == 0) {
      throw new UsageException("no token secret given");
    }
    try {
      return Secret.of(typed);
    } finally {
      Arrays.fill(typed, '\0');
    }
  }

  /**
   * A discovery function as Lambda runs it, with what the Lambda environment gives it: the
   * function's variables, the emulator's endpoint and dummy credentials. Framework logging stays at
   * WARN (and on stderr, see logback.xml) so the progress lines stay readable.
   */
  private LambdaHarness handler(String function) {
    return LambdaHarness.forApplication(DiscoveryApplication.class)
        .function(function)
        .property("TABLE_NAME", env.tableName())
        .property("TOKEN_KEY_ID", env.keyAlias())
        .property("DISCOVERY_QUEUE_URL", env.queueUrl())
        .awsEmulator(URI.create(env.awsEndpoint()), env.region())
        .property("logging.level.root", "WARN")
        // Without a Lambda runtime there is no Context to pass; the adapter warns about it each
        // time.
        .property("logging.level.org.springframework.cloud.function.adapter.aws", "ERROR")
        .start();
  }

  private static String time(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code AB:CD:...:EF}: enough to compare with what the node's Certificates panel shows. */
  static String abbreviate(String fingerprint) {
    return fingerprint.length() <= 17
        ? fingerprint
        : fingerprint.substring(0, 8) + "..." + fingerprint.substring(fingerprint.length() - 8);
  }

  // ---- the background environment ----

  /** The running environment, started in the background first when there is none. */
  static EnvironmentInfo ensureEnvironment(
      Path dir, List<String> args, LocalOptions options, PrintStream progress) {
    Optional<EnvironmentInfo> running =
        EnvironmentInfo.read(dir).filter(EnvironmentInfo::processAlive);
    if (running.isPresent()) {
      warnIfDifferent(running.get(), options, progress);
      return running.get();
    }
    forget(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path log = dir.resolve(EnvironmentInfo.LOG_FILE);
    List<String> command = new ArrayList<>();
    // A session of its own, so Ctrl-C on a bin/discover does not take the environment down.
    findOnPath("setsid").ifPresent(command::add);
    command.addAll(
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-Xmx1g",
            "-cp",
            System.getProperty("java.class.path"),
            "-Dnimbus.local.dir=" + dir,
            LocalEnvironment.class.getName()));
    args.stream().filter(a -> !a.equals("--reset")).forEach(command::add);
    progress.printf(
        "      starting the local environment (AWS emulator%s); log: %s%n",
        options.real().isEmpty() ? ", Proxmox simulator" : "", log);
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the local environment", e);
    }
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      Optional<EnvironmentInfo> info =
          EnvironmentInfo.read(dir).filter(EnvironmentInfo::processAlive);
      if (info.isPresent()) {
        return info.get();
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the local environment exited with " + process.exitValue() + ":\n" + tail(log));
      }
      sleep(Duration.ofMillis(200));
    }
    process.destroy();
    throw new IllegalStateException(
        "the local environment did not start within " + START_TIMEOUT.toSeconds() + " s");
  }

  private static void warnIfDifferent(
      EnvironmentInfo running, LocalOptions options, PrintStream progress) {
    LocalOptions.Simulator wanted = options.simulator();
    running
        .simulatorInfo()
        .ifPresent(
            sim -> {
              boolean versionDiffers = !sim.version().startsWith(wanted.version());
              boolean sizeDiffers =
                  wanted.nodes().isPresent()
                      && (wanted.nodes().get() != sim.nodes()
                          || wanted.guests().orElseThrow() != sim.guests());
              if (options.real().isEmpty() && (versionDiffers || sizeDiffers)) {
                progress.printf(
                    "      note: the running simulator is PVE %s with %d nodes; simulator options"
                        + " apply when the environment starts (bin/discover --reset ...)%n",
                    sim.version(), sim.nodes());
              }
            });
  }

  /** Stops the environment process, if one runs. */
  static void stopEnvironment(Path dir, PrintStream progress) {
    Optional<EnvironmentInfo> info = EnvironmentInfo.read(dir);
    Optional<ProcessHandle> process =
        info.flatMap(i -> ProcessHandle.of(i.pid())).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      progress.println("no local environment is running");
      return;
    }
    process.get().destroy();
    try {
      process.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.get().destroyForcibly();
    }
    progress.printf(
        "stopped the local environment (pid %d); its emulator state is gone%n", info.get().pid());
  }

  /** Removes the files of a stopped environment (not its log). */
  private static void forget(Path dir) {
    for (String f :
        List.of(
            EnvironmentInfo.FILE,
            EnvironmentInfo.PID_FILE,
            EnvironmentInfo.ADMIN_TOKEN_FILE,
            EnvironmentInfo.CA_FILE)) {
      try {
        Files.deleteIfExists(dir.resolve(f));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static Optional<String> findOnPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isBlank() && Files.isExecutable(Path.of(d, name))) {
        return Optional.of(Path.of(d, name).toString());
      }
    }
    return Optional.empty();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
