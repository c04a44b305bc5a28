package dev.nimbus.wizard.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nimbus.aws.AwsClients;
import dev.nimbus.cmdb.CmdbService;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.discovery.DiscoveryRunner;
import dev.nimbus.discovery.DiscoveryScheduler;
import dev.nimbus.local.EnvironmentInfo;
import dev.nimbus.local.LocalEnvironment;
import dev.nimbus.local.LocalOptions;
import dev.nimbus.proxmox.provider.DiscoveryOptions;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.wizard.api.WizardApplication;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code bin/wizard}: the wizard on this machine. Starts the local environment (AWS emulator,
 * table, key, queue, a simulated PVE cluster, as {@code bin/discover} does), then serves on
 * 127.0.0.1: the SPA from {@code functions/wizard/spa/dist}, {@code /local/sign-in} (a locally
 * signed JWT, said so on the page), and {@code /api/*} as API Gateway HTTP API payload 2.0 events
 * through the real handler ({@code FunctionInvoker}), after checking the JWT as the authorizer
 * would. "Run now" messages on the local discovery queue are run in process by the discovery
 * function's own runner, so a saved connection gets its first run; "sample now" reaches the usage
 * function's own runner through {@link LocalLambda}, a local Lambda Invoke endpoint.
 */
public final class WizardLocal {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The usage function's name locally: the wizard hands "sample now" to it. */
  static final String USAGE = "nimbus-usage";

  private final FunctionInvoker invoker;
  private final LocalJwt jwt = new LocalJwt(Clock.systemUTC());
  private final Path spa;
  private final HttpServer server;

  WizardLocal(Path spa, int port) throws IOException {
    this.spa = spa;
    System.setProperty("spring.cloud.function.definition", "wizardApi");
    this.invoker = new FunctionInvoker();
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
  }

  int port() {
    return server.getAddress().getPort();
  }

  void start() {
    server.start();
  }

  void stop() {
    server.stop(0);
  }

  public static void main(String[] args) throws Exception {
    int port = 8787;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        port = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--help")) {
        System.out.println(
            "usage: bin/wizard [--port 8787] [simulator options of bin/discover: --version 8.4,"
                + " --nodes N --guests M]");
        return;
      } else {
        rest.add(args[i]);
      }
    }
    Path dir = Path.of(".local", "wizard").toAbsolutePath();
    LocalEnvironment env =
        LocalEnvironment.start(
            LocalOptions.parse(rest),
            dir,
            new LocalEnvironment.Names(
                "nimbus-local-wizard",
                "alias/nimbus-local-wizard-tokens",
                "nimbus-local-wizard-discovery",
                "nimbus-local-wizard-ci-events",
                "local",
                "demo"),
            System.out);
    EnvironmentInfo info = env.info();
    LocalLambda lambda = startUsageFunction(info, System.out);
    configure(info, lambda.endpoint());
    startQueueWorker(info);
    WizardLocal local =
        new WizardLocal(Path.of("functions/wizard/spa/dist").toAbsolutePath(), port);
    local.start();
    env.simulator()
        .ifPresent(
            sim ->
                System.out.println(
                    "Proxmox simulator: host 127.0.0.1 port "
                        + sim.port()
                        + ", fingerprint "
                        + sim.fingerprint(sim.entryNode())
                        + "\n  root@pam password: in "
                        + dir.resolve("root-password")));
    env.simulator()
        .ifPresent(
            sim -> {
              try {
                Path pw = dir.resolve("root-password");
                Files.writeString(pw, sim.rootPassword() + "\n");
                pw.toFile().setReadable(false, false);
                pw.toFile().setReadable(true, true);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    System.out.println(
        "Usage function (\"sample now\"): Lambda Invoke on " + lambda.endpoint() + " as " + USAGE);
    System.out.println(
        "Wizard: http://127.0.0.1:" + local.port() + "/ (local sign-in, tenant 'local')");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  local.stop();
                  lambda.close();
                  env.close();
                }));
    new CountDownLatch(1).await();
  }

  /**
   * The wizard function's configuration: the local table, key and queue on the emulator, and its
   * Lambda client (and only that: {@code aws.endpointUrlLambda} wins over {@code aws.endpointUrl}
   * for Lambda alone) on {@code lambdaEndpoint}, where {@link LocalLambda} runs the usage function.
   */
  static void configure(EnvironmentInfo info, URI lambdaEndpoint) {
    System.setProperty("MAIN_CLASS", WizardApplication.class.getName());
    System.setProperty("TABLE_NAME", info.tableName());
    System.setProperty("TOKEN_KEY_ID", info.keyAlias());
    System.setProperty("DISCOVERY_QUEUE_URL", info.queueUrl());
    // "Sample now" is run by LocalLambda; no runner function runs locally: deployments and drift
    // checks are refused there (function not found); their read routes work.
    System.setProperty("USAGE_FUNCTION_NAME", USAGE);
    System.setProperty("RUNNER_FUNCTION_NAME", "nimbus-pulumi-runner");
    System.setProperty("WIZARD_ALLOWED_PRIVATE_CIDRS", "127.0.0.0/8,::1/128");
    System.setProperty("aws.endpointUrl", info.awsEndpoint());
    System.setProperty("aws.endpointUrlLambda", lambdaEndpoint.toString());
    System.setProperty("aws.region", info.region());
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
  }

  /**
   * The usage function behind a local Lambda Invoke endpoint: its runner on the emulator's table
   * and key, with the clients the discovery worker uses, its properties read by the function's own
   * {@code UsageProperties.read}.
   */
  static LocalLambda startUsageFunction(EnvironmentInfo info, PrintStream out) throws IOException {
    Map<String, String> values =
        Map.of(
            "aws.region", info.region(),
            "nimbus.usage.table-name", info.tableName(),
            "nimbus.usage.token-key-id", info.keyAlias());
    return LocalLambda.start(
        USAGE,
        LocalLambda.usageRunner(
            AwsTestEnvironment.clientsFor(info.backend()), values::get, Clock.systemUTC()),
        out);
  }

  /** Drains the local discovery queue with the discovery function's runner (no Lambda here). */
  static Thread startQueueWorker(EnvironmentInfo info) {
    AwsClients clients = AwsTestEnvironment.clientsFor(info.backend());
    ConnectionService connections =
        ConnectionService.create(
            clients, new ConnectionsConfig(info.tableName(), info.keyAlias()), Clock.systemUTC());
    CmdbService cmdb =
        new CmdbService(
            new DynamoDbCiRepository(clients.dynamoDb(), info.tableName(), CmdbSettings.defaults()),
            CmdbSettings.defaults(),
            Clock.systemUTC());
    DiscoveryRunner runner =
        new DiscoveryRunner(
            connections,
            cmdb,
            DiscoveryOptions.defaults(),
            16,
            Duration.ofMinutes(13),
            Clock.systemUTC());
    SqsClient sqs = clients.sqs();
    return Thread.ofVirtual()
        .name("local-discovery-queue")
        .start(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  for (var m :
                      sqs.receiveMessage(
                              b ->
                                  b.queueUrl(info.queueUrl())
                                      .waitTimeSeconds(5)
                                      .maxNumberOfMessages(1))
                          .messages()) {
                    var ref = DiscoveryScheduler.parse(m.body()).ref();
                    var report = runner.run(ref);
                    System.out.println(
                        "discovery of "
                            + ref
                            + ": "
                            + (report.succeeded() ? "succeeded" : "failed")
                            + ", "
                            + report.ciCounts().values().stream().mapToInt(Integer::intValue).sum()
                            + " CIs");
                    sqs.deleteMessage(
                        b -> b.queueUrl(info.queueUrl()).receiptHandle(m.receiptHandle()));
                  }
                } catch (RuntimeException e) {
                  System.err.println("local discovery worker: " + e.getClass().getSimpleName());
                }
              }
            });
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      if (path.equals("/local/sign-in") && ex.getRequestMethod().equals("POST")) {
        JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
        String tenant = body.path("tenant").asString("local");
        String user = body.path("user").asString("local-user");
        if (!tenant.matches("[a-z0-9][a-z0-9-]{0,62}") || !user.matches("[A-Za-z0-9._-]{1,60}")) {
          send(
              ex,
              400,
              "application/json",
              "{\"error\":\"tenant: lower-case slug; user: letters and digits\"}");
          return;
        }
        send(
            ex,
            200,
            "application/json",
            JSON.writeValueAsString(Map.of("token", jwt.issue(tenant, user))));
        return;
      }
      if (path.startsWith("/api/")) {
        api(ex, path);
        return;
      }
      staticFile(ex, path);
    }
  }

  private void api(HttpExchange ex, String path) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    Optional<Map<String, String>> claims =
        jwt.verify(auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null);
    if (claims.isEmpty()) {
      send(ex, 401, "application/json", "{\"message\":\"Unauthorized\"}");
      return;
    }
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "$default");
    event.put("rawPath", path);
    String query = ex.getRequestURI().getRawQuery();
    event.put("rawQueryString", query == null ? "" : query);
    if (query != null && !query.isEmpty()) {
      ObjectNode q = event.putObject("queryStringParameters");
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        q.put(k, v);
      }
    }
    ObjectNode ctx = event.putObject("requestContext");
    ctx.put("stage", "$default");
    ctx.put("requestId", "local-" + System.nanoTime());
    ObjectNode http = ctx.putObject("http");
    http.put("method", ex.getRequestMethod());
    http.put("path", path);
    http.put("sourceIp", "127.0.0.1");
    ObjectNode c = ctx.putObject("authorizer").putObject("jwt").putObject("claims");
    claims.get().forEach(c::put);
    byte[] body = ex.getRequestBody().readAllBytes();
    if (body.length > 0) {
      event.put("body", new String(body, StandardCharsets.UTF_8));
    }
    event.put("isBase64Encoded", false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    invoker.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
    JsonNode r = JSON.readTree(out.toByteArray());
    String type = r.path("headers").path("Content-Type").asString("application/json");
    String text = r.path("body").isString() ? r.path("body").asString() : "";
    send(ex, r.path("statusCode").asInt(500), type, text);
  }

  private void staticFile(HttpExchange ex, String path) throws IOException {
    if (path.equals("/config.json")) {
      send(ex, 200, "application/json", "{\"apiBase\":\"\",\"auth\":{\"mode\":\"local\"}}");
      return;
    }
    Path file = spa.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
    if (!file.startsWith(spa) || !Files.isRegularFile(file)) {
      send(
          ex,
          404,
          "text/plain",
          "not found"
              + (Files.isDirectory(spa)
                  ? ""
                  : " (build the SPA: mvn -pl functions/wizard -am package -DskipTests)"));
      return;
    }
    String name = file.getFileName().toString();
    String type =
        name.endsWith(".html")
            ? "text/html; charset=utf-8"
            : name.endsWith(".js")
                ? "text/javascript"
                : name.endsWith(".css")
                    ? "text/css"
                    : name.endsWith(".json") ? "application/json" : "application/octet-stream";
    byte[] bytes = Files.readAllBytes(file);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    if (status == 204 || bytes.length == 0) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }
}
