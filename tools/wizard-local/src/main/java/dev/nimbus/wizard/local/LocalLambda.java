package dev.nimbus.wizard.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nimbus.aws.AwsClients;
import dev.nimbus.aws.lambda.LogContext;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.TimeRange;
import dev.nimbus.usage.FieldError;
import dev.nimbus.usage.dynamodb.DynamoDbUsageRepository;
import dev.nimbus.usagefn.SampleReport;
import dev.nimbus.usagefn.UsageInvocation;
import dev.nimbus.usagefn.UsageProperties;
import dev.nimbus.usagefn.UsageRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The usage function behind Lambda's Invoke API, on 127.0.0.1, for {@code bin/wizard}: the wizard's
 * "sample now" hands its payload through its real {@code FunctionHandoff} and Lambda client, which
 * {@link WizardLocal#configure} points here (moto has no such function). An {@code Event}
 * invocation of the usage function's name is answered 202, as Lambda answers, and then sampled on a
 * virtual thread by the usage function's own {@link UsageRunner}; its summary goes to stdout, where
 * a deployed function's log would be.
 *
 * <p>Where it differs from Lambda, on purpose: a payload the function would refuse (not JSON, an
 * unknown connection, a bad range) is answered 400 with the field errors instead of being accepted
 * and failing where nobody looks; the wizard checks the same rules before handing, so such an
 * answer means the two disagree. Only {@code Event} invocations run; any other function (the Pulumi
 * runner, for deployments and drift checks) is not found, with Lambda's {@code
 * ResourceNotFoundException}, so those routes fail as clearly as before.
 */
public final class LocalLambda implements AutoCloseable {
  /** Lambda's Invoke operation: {@code POST /2015-03-31/functions/{name}/invocations}. */
  static final String FUNCTIONS = "/2015-03-31/functions/";

  /** Lambda's limit for an asynchronous invocation's payload; the handoff's are a few ids. */
  static final int MAX_PAYLOAD_BYTES = 256 * 1024;

  // As the function's own mapping: a field it does not know is ignored, not refused.
  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final String functionName;
  private final UsageRunner runner;
  private final PrintStream out;
  private final HttpServer server;
  private final ExecutorService samples = Executors.newVirtualThreadPerTaskExecutor();

  private LocalLambda(String functionName, UsageRunner runner, PrintStream out) throws IOException {
    this.functionName = Objects.requireNonNull(functionName, "functionName");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.out = Objects.requireNonNull(out, "out");
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
  }

  /**
   * Serves the usage function named {@code functionName} (the wizard's {@code USAGE_FUNCTION_NAME})
   * on an ephemeral port of 127.0.0.1; summaries of samples go to {@code out}.
   */
  public static LocalLambda start(String functionName, UsageRunner runner, PrintStream out)
      throws IOException {
    LocalLambda lambda = new LocalLambda(functionName, runner, out);
    lambda.server.start();
    return lambda;
  }

  /** The endpoint a Lambda client is pointed at ({@code aws.endpointUrlLambda}). */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * The usage function's runner, built as {@code UsageConfiguration} builds it: the same table, key
   * and clients, with the properties read by {@link UsageProperties#read} from {@code lookup} (the
   * function's property names: {@code nimbus.usage.table-name}, {@code aws.region}, ...).
   */
  public static UsageRunner usageRunner(
      AwsClients aws, Function<String, String> lookup, Clock clock) {
    UsageProperties p = UsageProperties.read(lookup);
    return UsageRunner.create(
        aws, p, new DynamoDbUsageRepository(aws.dynamoDb(), p.tableName()), clock);
  }

  /** The summary line of one sample: what it read, wrote, and why it failed. No secret is in it. */
  static String summary(SampleReport r) {
    String head = "usage sample of " + r.connection() + ": ";
    if (!r.succeeded()) {
      return head + "failed: " + String.join("; ", r.problems());
    }
    return head
        + "succeeded, "
        + (r.methods().isEmpty() ? "nothing to read" : String.join("+", r.methods()))
        + ", "
        + r.proxmoxCalls()
        + " Proxmox calls, "
        + r.cis()
        + " CIs, "
        + r.hourWrites()
        + " hours and "
        + r.rollupWrites()
        + " rollup(s) written ("
        + r.dynamoDbWriteRequests()
        + " DynamoDB write requests), cursor "
        + r.cursor()
        + ", "
        + r.durationMs()
        + " ms"
        + (r.problems().isEmpty() ? "" : "; problems: " + String.join("; ", r.problems()));
  }

  @Override
  public void close() {
    server.stop(0);
    samples.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      if (!ex.getRequestMethod().equals("POST")
          || !path.startsWith(FUNCTIONS)
          || !path.endsWith("/invocations")) {
        error(ex, 404, "UnknownOperationException", "only Lambda's Invoke is served here");
        return;
      }
      String name =
          URLDecoder.decode(
              path.substring(FUNCTIONS.length(), path.length() - "/invocations".length()),
              StandardCharsets.UTF_8);
      if (!name.equals(functionName)) {
        error(
            ex,
            404,
            "ResourceNotFoundException",
            "Function not found: "
                + name
                + " (locally only the usage function "
                + functionName
                + " runs; deployments and drift checks need AWS)");
        return;
      }
      String type = ex.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
      if (!"Event".equals(type)) {
        error(
            ex,
            400,
            "InvalidParameterValueException",
            "InvocationType: only Event runs locally, not " + (type == null ? "(none)" : type));
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
      }
      if (body.length > MAX_PAYLOAD_BYTES) {
        error(
            ex,
            413,
            "RequestTooLargeException",
            "payload: at most " + MAX_PAYLOAD_BYTES + " bytes for an Event invocation");
        return;
      }
      UsageInvocation in;
      try {
        in = body.length == 0 ? null : JSON.readValue(body, UsageInvocation.class);
      } catch (JacksonException e) {
        error(
            ex,
            400,
            "InvalidRequestContentException",
            "payload: not a usage invocation ({\"tenantId\", \"connectionId\", \"from\"?,"
                + " \"to\"?})");
        return;
      }
      List<FieldError> errors =
          in == null
              ? List.of(new FieldError("payload", "is required"))
              : Boolean.TRUE.equals(in.schedule())
                  ? List.of(
                      new FieldError(
                          "schedule",
                          "the scheduled sample of every connection does not run locally"))
                  : runner.validate(in);
      if (!errors.isEmpty()) {
        error(
            ex,
            400,
            "InvalidRequestContentException",
            errors.stream()
                .map(e -> e.field() + ": " + e.message())
                .collect(Collectors.joining("; ")));
        return;
      }
      // Accepted, as Lambda accepts an Event: the caller is answered before the sample runs.
      ex.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
      ex.sendResponseHeaders(202, -1);
      samples.execute(() -> sample(in));
    }
  }

  private void sample(UsageInvocation in) {
    ConnectionRef ref = new ConnectionRef(in.tenantId(), in.connectionId());
    TimeRange range =
        in.from() == null ? null : new TimeRange(Instant.parse(in.from()), Instant.parse(in.to()));
    try (LogContext.Scope scope = LogContext.forRun(ref.tenantId(), ref.connectionId(), null)) {
      out.println(summary(runner.sample(ref, range)));
    } catch (RuntimeException e) {
      // A retryable AWS error: Lambda would retry the event twice; locally it is reported once.
      out.println("usage sample of " + ref + ": failed: " + e.getClass().getSimpleName());
    }
  }

  /** Lambda's error shape: the type in x-amzn-ErrorType, {"Type", "Message"} in the body. */
  private static void error(HttpExchange ex, int status, String type, String message)
      throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(Map.of("Type", "User", "Message", message));
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("x-amzn-ErrorType", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }
}
