package dev.nimbus.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;

/**
 * The proxy against a stand-in emulator (an in-process HTTP server that counts the requests it
 * applied), seen through real SDK clients: each fault is classified by the SDK as it would be from
 * AWS, retried, and the requests that reached the emulator are counted.
 */
class FaultInjectingProxyTest {
  private static final String PUT = "DynamoDB_20120810.PutItem";
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(400);

  private HttpServer emulator;
  private final AtomicInteger applied = new AtomicInteger();
  private final List<String> targets = new ArrayList<>();
  private FaultInjectingProxy proxy;

  @BeforeEach
  void start() throws IOException {
    emulator = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    emulator.createContext(
        "/",
        exchange -> {
          byte[] request = exchange.getRequestBody().readAllBytes();
          String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
          synchronized (targets) {
            targets.add(target);
          }
          applied.incrementAndGet();
          String answer =
              target.startsWith("AWSEvents")
                  ? "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}"
                  : "{}";
          assertThat(request).isNotEmpty();
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    emulator.start();
    proxy =
        FaultInjectingProxy.start(
            URI.create("http://127.0.0.1:" + emulator.getAddress().getPort()), FaultPlan.none());
  }

  @AfterEach
  void stop() {
    proxy.close();
    emulator.stop(0);
  }

  private DynamoDbClient dynamo(int maxAttempts) {
    return DynamoDbClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .endpointOverride(proxy.endpoint())
        .overrideConfiguration(
            c -> c.apiCallAttemptTimeout(ATTEMPT_TIMEOUT).retryStrategy(strategy(maxAttempts)))
        .build();
  }

  private static RetryStrategy strategy(int maxAttempts) {
    return software.amazon.awssdk.awscore.retry.AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(maxAttempts)
        .build();
  }

  private static void put(DynamoDbClient dynamo) {
    dynamo.putItem(b -> b.tableName("t").item(Map.of("PK", AttributeValue.fromS("x"))));
  }

  @Test
  void aThrottledRequestIsClassifiedAsThrottlingRetriedAndNeverApplied() {
    proxy.plan(FaultPlan.none().injectAt(FaultKind.THROTTLE, PUT, 0, 1));
    try (DynamoDbClient dynamo = dynamo(1)) {
      assertThatThrownBy(() -> put(dynamo))
          .isInstanceOfSatisfying(
              ProvisionedThroughputExceededException.class,
              e -> {
                assertThat(e.isThrottlingException()).isTrue();
                assertThat(e.statusCode()).isEqualTo(400);
              });
    }
    try (DynamoDbClient dynamo = dynamo(3)) {
      put(dynamo);
    }
    assertThat(proxy.injected(FaultKind.THROTTLE, PUT)).isEqualTo(2);
    assertThat(proxy.requests()).containsEntry(PUT, 3L);
    assertThat(applied).hasValue(1);
    assertThat(proxy.forwarded()).containsEntry(PUT, 1L);
  }

  @Test
  void aServerErrorIsA500TheSdkRetries() {
    proxy.plan(FaultPlan.none().injectAt(FaultKind.SERVER_ERROR, PUT, 0, 1));
    try (DynamoDbClient dynamo = dynamo(1)) {
      assertThatThrownBy(() -> put(dynamo))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalServerError");
              });
    }
    try (DynamoDbClient dynamo = dynamo(3)) {
      put(dynamo);
    }
    assertThat(proxy.injected(FaultKind.SERVER_ERROR)).containsEntry(PUT, 2L);
    assertThat(applied).hasValue(1);
  }

  @Test
  void aHeldAnswerEndsTheAttemptAtItsTimeoutAfterTheRequestWasApplied() {
    proxy.plan(FaultPlan.none().injectAt(FaultKind.TIMEOUT, PUT, 0, 1));
    try (DynamoDbClient dynamo = dynamo(1)) {
      assertThatThrownBy(() -> put(dynamo)).isInstanceOf(ApiCallAttemptTimeoutException.class);
    }
    assertThat(applied).hasValue(1);
    try (DynamoDbClient dynamo = dynamo(3)) {
      put(dynamo);
    }
    // Both held requests were applied, and so was the retry that got its answer.
    assertThat(applied).hasValue(3);
    assertThat(proxy.injected(FaultKind.TIMEOUT, PUT)).isEqualTo(2);
  }

  @Test
  void aConnectionDroppedAfterTheRequestWasAppliedIsAnIoErrorTheSdkRetries() {
    proxy.plan(FaultPlan.none().injectAt(FaultKind.DROP_AFTER_APPLY, PUT, 0, 1));
    try (DynamoDbClient dynamo = dynamo(1)) {
      assertThatThrownBy(() -> put(dynamo))
          .isInstanceOf(SdkClientException.class)
          .hasRootCauseInstanceOf(IOException.class);
    }
    assertThat(applied).hasValue(1);
    try (DynamoDbClient dynamo = dynamo(3)) {
      put(dynamo);
    }
    assertThat(applied).hasValue(3);
    assertThat(proxy.injected(FaultKind.DROP_AFTER_APPLY, PUT)).isEqualTo(2);
    assertThat(proxy.forwarded()).containsEntry(PUT, 3L);
  }

  @Test
  void otherServicesGetTheirOwnThrottlingError() {
    proxy.plan(FaultPlan.none().injectAt(FaultKind.THROTTLE, "AWSEvents.PutEvents", 0));
    try (EventBridgeClient events =
        EventBridgeClient.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .endpointOverride(proxy.endpoint())
            .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
            .build()) {
      assertThat(
              events
                  .putEvents(
                      b ->
                          b.entries(
                              e -> e.source("s").detailType("d").detail("{}").eventBusName("b")))
                  .failedEntryCount())
          .isZero();
    }
    assertThat(proxy.injected(FaultKind.THROTTLE)).containsEntry("AWSEvents.PutEvents", 1L);
    assertThat(applied).hasValue(1);
    // Classified as throttling, not as a generic 400.
    proxy.plan(FaultPlan.none().injectAt(FaultKind.THROTTLE, "AWSEvents.PutEvents", 0));
    try (EventBridgeClient events =
        EventBridgeClient.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .endpointOverride(proxy.endpoint())
            .overrideConfiguration(c -> c.retryStrategy(strategy(1)))
            .build()) {
      assertThatThrownBy(
              () ->
                  events.putEvents(
                      b ->
                          b.entries(
                              e -> e.source("s").detailType("d").detail("{}").eventBusName("b"))))
          .isInstanceOfSatisfying(
              EventBridgeException.class, e -> assertThat(e.isThrottlingException()).isTrue());
    }
  }

  @Test
  void aSeededPlanBreaksTheSameRequestsEveryTimeAtAboutItsRate() {
    FaultPlan plan =
        FaultPlan.seeded(42)
            .inject(FaultKind.DROP_AFTER_APPLY, 0.25, FaultPlan.service("DynamoDB_20120810"));
    List<Long> first = new ArrayList<>();
    List<Long> again = new ArrayList<>();
    for (long i = 0; i < 2_000; i++) {
      if (plan.decide(PUT, i).isPresent()) {
        first.add(i);
      }
      if (plan.decide(PUT, i).isPresent()) {
        again.add(i);
      }
      assertThat(plan.decide("AWSEvents.PutEvents", i)).isEmpty();
    }
    assertThat(again).isEqualTo(first);
    assertThat(first.size()).isBetween(420, 580);
    FaultPlan other =
        FaultPlan.seeded(43)
            .inject(FaultKind.DROP_AFTER_APPLY, 0.25, FaultPlan.service("DynamoDB_20120810"));
    List<Long> otherSeed = new ArrayList<>();
    for (long i = 0; i < 2_000; i++) {
      if (other.decide(PUT, i).isPresent()) {
        otherSeed.add(i);
      }
    }
    assertThat(otherSeed).isNotEqualTo(first);
  }
}
