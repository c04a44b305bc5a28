package dev.nimbus.aws;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place that builds AWS SDK clients. Every client shares one {@link
 * UrlConnectionHttpClient}: the SDK's default (Apache 5, plus Netty on the classpath) costs
 * hundreds of milliseconds of cold start in a Lambda, and these functions make few, small calls.
 *
 * <p>Each client is built once, on first use, and then handed to every caller: one DynamoDB client
 * per Lambda container however many services use it. A client handed out ignores {@code close()}
 * (callers may use it in try-with-resources); {@link #close()} closes them all with the HTTP
 * client. Build one instance per process (outside the Lambda handler) and keep it.
 *
 * <p>Endpoint: {@code endpointOverride} when given (the local run and the tests point it at moto or
 * LocalStack), else the SDK's own resolution, which honours {@code AWS_ENDPOINT_URL} and the
 * per-service variables. The region is required: it is never guessed.
 *
 * <p>Retries and timeouts: every call has an attempt timeout ({@value #ATTEMPT_TIMEOUT_VARIABLE},
 * default {@link #DEFAULT_ATTEMPT_TIMEOUT}), so an answer that never comes (a connection held open
 * by a load balancer, a dropped packet) ends that attempt and the SDK's retry strategy tries again
 * instead of waiting for the 30 s socket timeout. Retries are the SDK's standard ones per service:
 * DynamoDB 9 attempts from 25 ms backoff, the other services 3, each for throttling, 5xx answers,
 * I/O errors and attempt timeouts. A retried write may have been applied by the attempt that timed
 * out or lost its answer: the callers' writes are conditional and recognise their own applied write
 * (see shared/cmdb README, "Reliability").
 */
public final class AwsClients implements AutoCloseable {
  /** The variable the Lambda runtime sets, and the one a missing region is reported under. */
  public static final String REGION_VARIABLE = "AWS_REGION";

  /**
   * The variable (or system property {@code nimbus.aws.attempt-timeout}) that sets the attempt
   * timeout: an ISO-8601 duration ({@code PT2S}) or a number with {@code ms} or {@code s}.
   */
  public static final String ATTEMPT_TIMEOUT_VARIABLE = "NIMBUS_AWS_ATTEMPT_TIMEOUT";

  /**
   * Longer than any single call of these functions takes on DynamoDB, KMS, SQS or EventBridge
   * (milliseconds; a transaction of 100 items well under a second) and than the longest SQS long
   * poll the local tools make (5 s), well under the functions' timeouts.
   */
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

  private static final Pattern REGION_NAME = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

  private final Region region;
  private final AwsCredentialsProvider credentials;
  private final Optional<URI> endpointOverride;
  private final SdkHttpClient http;
  private final Duration attemptTimeout = attemptTimeout(AwsClients::systemVariable);
  private final List<SdkClient> built = new ArrayList<>();
  private DynamoDbClient dynamoDb;
  private DynamoDbStreamsClient dynamoDbStreams;
  private KmsClient kms;
  private EventBridgeClient eventBridge;
  private SqsClient sqs;
  private LambdaClient lambda;

  private AwsClients(Region region, AwsCredentialsProvider credentials, URI endpointOverride) {
    this(
        region,
        credentials,
        endpointOverride,
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(3))
            .socketTimeout(Duration.ofSeconds(30))
            .build());
  }

  private AwsClients(
      Region region, AwsCredentialsProvider credentials, URI endpointOverride, SdkHttpClient http) {
    this.region = Objects.requireNonNull(region, "region");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.endpointOverride = Optional.ofNullable(endpointOverride);
    this.http = Objects.requireNonNull(http, "http");
  }

  /** Clients on another HTTP client: {@link SnapStartPriming}'s offline one. */
  static AwsClients create(
      Region region, AwsCredentialsProvider credentials, URI endpointOverride, SdkHttpClient http) {
    return new AwsClients(region, credentials, endpointOverride, http);
  }

  /** Clients for the given region, credentials and optional endpoint override. */
  public static AwsClients create(
      Region region, AwsCredentialsProvider credentials, URI endpointOverride) {
    return new AwsClients(region, credentials, endpointOverride);
  }

  /**
   * Clients configured from the Lambda environment: {@code AWS_REGION} and the default credential
   * chain, endpoints resolved by the SDK (so {@code AWS_ENDPOINT_URL} works with no code change).
   *
   * @throws IllegalStateException naming {@code AWS_REGION} when no region is configured
   */
  public static AwsClients fromEnvironment() {
    return new AwsClients(
        requiredRegion(AwsClients::systemVariable),
        DefaultCredentialsProvider.builder().build(),
        null);
  }

  /**
   * The region named by {@code AWS_REGION} (which the Lambda runtime sets) or the {@code
   * aws.region} system property (the local run and tests), looked up through {@code variables}.
   * Nothing else is consulted: no profile file and no instance metadata, so the answer does not
   * depend on the machine, and a function never silently picks a region (it would write to a table
   * that is not its own, or fail later with an error that no longer says why).
   *
   * @throws IllegalStateException naming {@code AWS_REGION} when neither is set or the value is not
   *     a region name
   */
  public static Region requiredRegion(Function<String, String> variables) {
    String name = variables.apply("aws.region");
    if (name == null || name.isBlank()) {
      name = variables.apply(REGION_VARIABLE);
    }
    if (name == null || name.isBlank()) {
      throw new IllegalStateException(
          REGION_VARIABLE
              + " is not set: the Lambda runtime sets it; elsewhere set "
              + REGION_VARIABLE
              + " (or the aws.region system property) to the region of the stack");
    }
    if (!REGION_NAME.matcher(name.trim()).matches()) {
      throw new IllegalStateException(
          REGION_VARIABLE + " is not a region name such as eu-central-1: '" + name + "'");
    }
    return Region.of(name.trim());
  }

  /**
   * The attempt timeout named by {@code nimbus.aws.attempt-timeout} or {@value
   * #ATTEMPT_TIMEOUT_VARIABLE}, else {@link #DEFAULT_ATTEMPT_TIMEOUT}.
   *
   * @throws IllegalStateException when the value is not a positive duration
   */
  public static Duration attemptTimeout(Function<String, String> variables) {
    String value = variables.apply("nimbus.aws.attempt-timeout");
    if (value == null || value.isBlank()) {
      value = variables.apply(ATTEMPT_TIMEOUT_VARIABLE);
    }
    if (value == null || value.isBlank()) {
      return DEFAULT_ATTEMPT_TIMEOUT;
    }
    String v = value.trim();
    Duration d;
    try {
      if (v.startsWith("P") || v.startsWith("p")) {
        d = Duration.parse(v);
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      } else {
        throw new NumberFormatException(v);
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          ATTEMPT_TIMEOUT_VARIABLE + " is not a duration such as PT10S, 10s or 500ms: '" + v + "'");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalStateException(ATTEMPT_TIMEOUT_VARIABLE + " must be positive: '" + v + "'");
    }
    return d;
  }

  /** The timeout of one attempt of every call these clients make. */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  /** A system property, else the environment variable of that name. */
  private static String systemVariable(String name) {
    String value = System.getProperty(name);
    return value != null ? value : System.getenv(name);
  }

  public Region region() {
    return region;
  }

  public Optional<URI> endpointOverride() {
    return endpointOverride;
  }

  public synchronized DynamoDbClient dynamoDb() {
    if (dynamoDb == null) {
      dynamoDb = shared(DynamoDbClient.class, () -> configure(DynamoDbClient.builder()).build());
    }
    return dynamoDb;
  }

  public synchronized DynamoDbStreamsClient dynamoDbStreams() {
    if (dynamoDbStreams == null) {
      dynamoDbStreams =
          shared(
              DynamoDbStreamsClient.class,
              () -> configure(DynamoDbStreamsClient.builder()).build());
    }
    return dynamoDbStreams;
  }

  public synchronized KmsClient kms() {
    if (kms == null) {
      kms = shared(KmsClient.class, () -> configure(KmsClient.builder()).build());
    }
    return kms;
  }

  public synchronized EventBridgeClient eventBridge() {
    if (eventBridge == null) {
      eventBridge =
          shared(EventBridgeClient.class, () -> configure(EventBridgeClient.builder()).build());
    }
    return eventBridge;
  }

  public synchronized SqsClient sqs() {
    if (sqs == null) {
      sqs = shared(SqsClient.class, () -> configure(SqsClient.builder()).build());
    }
    return sqs;
  }

  /**
   * Lambda, for asynchronous invocations: the wizard's preview second half and the work it hands to
   * the usage function and the Pulumi runner.
   */
  public synchronized LambdaClient lambda() {
    if (lambda == null) {
      lambda = shared(LambdaClient.class, () -> configure(LambdaClient.builder()).build());
    }
    return lambda;
  }

  /** How many SDK clients this instance has built (one per service used). */
  public synchronized int clientsBuilt() {
    return built.size();
  }

  private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>>
      B configure(B builder) {
    builder.region(region).credentialsProvider(credentials);
    endpointOverride.ifPresent(builder::endpointOverride);
    builder.overrideConfiguration(c -> c.apiCallAttemptTimeout(attemptTimeout));
    if (builder
        instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
      sync.httpClient(http);
    }
    return builder;
  }

  /**
   * The client, built now, behind a view whose {@code close()} does nothing: the client belongs to
   * this instance and lives as long as the container.
   */
  private <T extends SdkClient> T shared(Class<T> type, Supplier<T> build) {
    T client = build.get();
    built.add(client);
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("close") && method.getParameterCount() == 0) {
            return null;
          }
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              case "toString" -> "shared " + client;
              default -> method.invoke(client, args);
            };
          }
          try {
            return method.invoke(client, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  @Override
  public synchronized void close() {
    for (SdkClient client : built) {
      client.close();
    }
    built.clear();
    dynamoDb = null;
    dynamoDbStreams = null;
    kms = null;
    eventBridge = null;
    sqs = null;
    http.close();
  }
}
