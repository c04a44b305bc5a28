package dev.nimbus.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class AwsClientsTest {

  private static AwsClients clients() {
    return AwsClients.create(
        Region.EU_CENTRAL_1,
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
        // Nothing listens there; no test here makes a call.
        URI.create("http://127.0.0.1:9"));
  }

  @Test
  void eachClientIsBuiltOnceAndSurvivesACallerClosingIt() {
    try (AwsClients aws = clients()) {
      DynamoDbClient first = aws.dynamoDb();
      try (DynamoDbClient scoped = aws.dynamoDb()) {
        assertThat(scoped).isSameAs(first);
      }
      aws.kms();
      aws.kms();
      aws.sqs();

      assertThat(aws.dynamoDb()).isSameAs(first);
      assertThat(aws.clientsBuilt()).isEqualTo(3);
      // Still usable after the try-with-resources above closed "its" client.
      assertThat(first.serviceName()).isEqualTo("dynamodb");
      assertThat(first.serviceClientConfiguration().region()).isEqualTo(Region.EU_CENTRAL_1);
    }
  }

  @Test
  void theRegionComesFromAwsRegionOrTheSystemPropertyAndIsNeverGuessed() {
    assertThat(AwsClients.requiredRegion(Map.of("AWS_REGION", "eu-west-1")::get))
        .isEqualTo(Region.EU_WEST_1);
    assertThat(
            AwsClients.requiredRegion(
                Map.of("aws.region", "us-gov-west-1", "AWS_REGION", "eu-west-1")::get))
        .isEqualTo(Region.US_GOV_WEST_1);

    assertThatThrownBy(() -> AwsClients.requiredRegion(Map.<String, String>of()::get))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("AWS_REGION is not set");
    assertThatThrownBy(() -> AwsClients.requiredRegion(Map.of("AWS_REGION", " ")::get))
        .hasMessageStartingWith("AWS_REGION is not set");
    assertThatThrownBy(() -> AwsClients.requiredRegion(Map.of("AWS_REGION", "Frankfurt")::get))
        .hasMessageContaining("AWS_REGION is not a region name")
        .hasMessageContaining("'Frankfurt'");
  }

  @Test
  void everyAttemptHasATimeoutThatTheEnvironmentCanSet() {
    assertThat(AwsClients.attemptTimeout(Map.<String, String>of()::get))
        .isEqualTo(AwsClients.DEFAULT_ATTEMPT_TIMEOUT);
    assertThat(AwsClients.attemptTimeout(Map.of("NIMBUS_AWS_ATTEMPT_TIMEOUT", "PT2S")::get))
        .isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(
            AwsClients.attemptTimeout(
                Map.of("nimbus.aws.attempt-timeout", "750ms", "NIMBUS_AWS_ATTEMPT_TIMEOUT", "9s")
                    ::get))
        .isEqualTo(java.time.Duration.ofMillis(750));
    assertThatThrownBy(
            () -> AwsClients.attemptTimeout(Map.of("NIMBUS_AWS_ATTEMPT_TIMEOUT", "soon")::get))
        .hasMessageContaining("NIMBUS_AWS_ATTEMPT_TIMEOUT is not a duration");
    assertThatThrownBy(
            () -> AwsClients.attemptTimeout(Map.of("NIMBUS_AWS_ATTEMPT_TIMEOUT", "0s")::get))
        .hasMessageContaining("must be positive");
    try (AwsClients aws = clients()) {
      assertThat(
              aws.dynamoDb()
                  .serviceClientConfiguration()
                  .overrideConfiguration()
                  .apiCallAttemptTimeout())
          .contains(aws.attemptTimeout());
    }
  }
}
