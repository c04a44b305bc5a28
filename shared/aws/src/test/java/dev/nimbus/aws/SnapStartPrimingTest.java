package dev.nimbus.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;

/**
 * Priming runs the SDK's request path for every service the functions use, signed, and sends
 * nothing: a listening socket at the configured endpoint sees no connection.
 */
class SnapStartPrimingTest {

  @Test
  void everyServiceIsMarshalledAndSignedButNothingReachesTheEndpoint() throws IOException {
    try (ServerSocket endpoint = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AwsClients clients =
            AwsClients.create(
                Region.EU_CENTRAL_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("real", "real-secret")),
                URI.create("http://127.0.0.1:" + endpoint.getLocalPort()))) {
      SnapStartPriming priming = SnapStartPriming.unregistered(clients);

      priming.beforeCheckpoint(null);

      List<SdkHttpRequest> sent = priming.lastRequests();
      assertThat(sent).hasSize(6);
      assertThat(sent)
          .extracting(r -> r.firstMatchingHeader("X-Amz-Target").orElse(""))
          .anyMatch(t -> t.endsWith("GetItem"))
          .anyMatch(t -> t.endsWith("Query"))
          .anyMatch(t -> t.endsWith("BatchWriteItem"))
          .anyMatch(t -> t.endsWith("Decrypt"))
          .anyMatch(t -> t.endsWith("SendMessage"))
          .anyMatch(t -> t.endsWith("PutEvents"));
      // Signed with the priming's dummy credentials, never with the function's own.
      assertThat(sent)
          .allSatisfy(
              r ->
                  assertThat(r.firstMatchingHeader("Authorization").orElseThrow())
                      .startsWith("AWS4-HMAC-SHA256 Credential=priming/")
                      .contains("/eu-central-1/"));
      endpoint.setSoTimeout(300);
      boolean connected;
      try (var ignored = endpoint.accept()) {
        connected = true;
      } catch (SocketTimeoutException e) {
        connected = false;
      }
      assertThat(connected).as("a connection reached the endpoint").isFalse();
    }
  }

  @Test
  void aFailingWarmerIsSkippedAndTheOthersStillRun() {
    List<String> ran = new ArrayList<>();
    try (AwsClients clients =
        AwsClients.create(
            Region.US_EAST_1,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")),
            null)) {
      SnapStartPriming priming =
          SnapStartPriming.unregistered(
              clients,
              () -> ran.add("first"),
              () -> {
                throw new IllegalStateException("broken warmer");
              },
              () -> ran.add("third"));

      priming.prime();

      assertThat(ran).containsExactly("first", "third");
      assertThat(priming.primedRequests()).isEqualTo(6);
      // No endpoint override: the SDK's own endpoint rules resolved the real host names.
      assertThat(priming.lastRequests())
          .extracting(r -> r.host())
          .contains("dynamodb.us-east-1.amazonaws.com", "kms.us-east-1.amazonaws.com");
    }
  }

  @Test
  void aRegisteredPrimingIsListedForJvmsWithoutCrac() {
    try (AwsClients clients =
        AwsClients.create(
            Region.US_EAST_1,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")),
            null)) {
      SnapStartPriming priming = SnapStartPriming.register(clients);

      assertThat(SnapStartPriming.registered()).contains(priming);
      assertThat(priming.primedRequests()).as("registering does not prime yet").isZero();
    }
  }
}
