package dev.nimbus.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place that builds AWS SDK clients. Every client shares one {@link
 * UrlConnectionHttpClient}: the SDK's default (Apache 5, plus Netty on the classpath) costs
 * hundreds of milliseconds of cold start in a Lambda, and these functions make few, small calls.
 *
 * <p>Endpoint: {@code endpointOverride} when given (the local run and the tests point it at moto or
 * LocalStack), else the SDK's own resolution, which honours {@code AWS_ENDPOINT_URL} and the
 * per-service variables. Build one instance per process (outside the Lambda handler) and keep it.
 */
public final class AwsClients implements AutoCloseable {
  private final Region region;
  private final AwsCredentialsProvider credentials;
  private final Optional<URI> endpointOverride;
  private final SdkHttpClient http;

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
   */
  public static AwsClients fromEnvironment() {
    Region region;
    try {
      // AWS_REGION in Lambda; the aws.region system property or a profile elsewhere.
      region = DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException e) {
      region = Region.EU_CENTRAL_1;
    }
    return new AwsClients(region, DefaultCredentialsProvider.builder().build(), null);
  }

  public Region region() {
    return region;
  }

  public Optional<URI> endpointOverride() {
    return endpointOverride;
  }

  public DynamoDbClient dynamoDb() {
    var b =
        DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials);
    endpointOverride.ifPresent(b::endpointOverride);
    return b.build();
  }

  public DynamoDbStreamsClient dynamoDbStreams() {
    var b =
        DynamoDbStreamsClient.builder()
            .httpClient(http)
            .region(region)
            .credentialsProvider(credentials);
    endpointOverride.ifPresent(b::endpointOverride);
    return b.build();
  }

  public KmsClient kms() {
    var b = KmsClient.builder().httpClient(http).region(region).credentialsProvider(credentials);
    endpointOverride.ifPresent(b::endpointOverride);
    return b.build();
  }

  public EventBridgeClient eventBridge() {
    var b =
        EventBridgeClient.builder()
            .httpClient(http)
            .region(region)
            .credentialsProvider(credentials);
    endpointOverride.ifPresent(b::endpointOverride);
    return b.build();
  }

  public SqsClient sqs() {
    var b = SqsClient.builder().httpClient(http).region(region).credentialsProvider(credentials);
    endpointOverride.ifPresent(b::endpointOverride);
    return b.build();
  }

  @Override
  public void close() {
    http.close();
  }
}
