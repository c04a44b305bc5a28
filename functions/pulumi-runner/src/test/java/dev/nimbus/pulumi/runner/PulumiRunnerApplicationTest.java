package dev.nimbus.pulumi.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nimbus.testing.lambda.LambdaHarness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real application as the Lambda runtime starts it ({@code MAIN_CLASS}, {@code
 * FunctionInvoker}, through {@link LambdaHarness}), configured through the variables the template
 * sets. AWS points at a port nothing listens on: these requests must be answered without any AWS
 * call.
 */
class PulumiRunnerApplicationTest {

  private static LambdaHarness.Builder application(boolean complete) {
    var b =
        LambdaHarness.forApplication(PulumiRunnerApplication.class)
            .function("deploy")
            .awsEmulator(URI.create("http://127.0.0.1:9"), "eu-central-1")
            .property("TABLE_NAME", "nimbus-unit")
            .property("TOKEN_KEY_ID", "alias/nimbus-unit-tokens");
    if (complete) {
      b.property("PULUMI_STATE_BUCKET", "nimbus-unit-state")
          .property("PULUMI_KMS_KEY", "alias/nimbus-unit-pulumi")
          .property("AWS_REGION", "eu-central-1")
          .property("EVENT_BUS_NAME", "nimbus-unit-bus")
          .property("WEBHOOK_DELIVERY_QUEUE_URL", "http://127.0.0.1:9/000000000000/deliveries");
    }
    return b;
  }

  @Test
  void aMissingVariableFailsTheStartNamingEveryMissingOne() {
    Throwable failure = catchThrowable(() -> application(false).start());

    assertThat(failure).isNotNull();
    String messages =
        Stream.iterate(failure, t -> t != null, Throwable::getCause)
            .map(String::valueOf)
            .reduce("", (a, b) -> a + "\n" + b);
    assertThat(messages)
        .contains(
            "the Pulumi runner is not configured: set PULUMI_STATE_BUCKET, PULUMI_KMS_KEY,"
                + " AWS_REGION, EVENT_BUS_NAME, WEBHOOK_DELIVERY_QUEUE_URL");
    assertThat(messages).doesNotContain("set TABLE_NAME");
  }

  @Test
  void theConfiguredApplicationAnswersABadRequestWithFieldErrorsWithoutCallingAws() {
    try (LambdaHarness lambda = application(true).start()) {
      String answer =
          lambda.invoke(
              "{\"operation\":\"preview\",\"tenantId\":\"acme\",\"connectionId\":\"lab\","
                  + "\"program\":\"k8s-cluster\",\"inputs\":{}}");

      JsonNode json = JsonMapper.builder().build().readTree(answer);
      assertThat(json.get("status").asInt()).isEqualTo(400);
      assertThat(json.at("/errors/0/field").asString()).isEqualTo("program");
      assertThat(json.at("/errors/0/message").asString())
          .isEqualTo("unknown program; one of vm, container, pool, security-group, sdn-vnet");
    }
  }

  @Test
  void everyLogLineOfAStartAndARequestIsOneJsonObjectOfThisFunction() {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (LambdaHarness lambda = application(true).start()) {
      lambda.invoke(
          "{\"operation\":\"status\",\"tenantId\":\"acme\",\"connectionId\":\"lab\","
              + "\"program\":\"vm\",\"runId\":\"not-a-run-id\"}");
    } finally {
      System.setOut(stdout);
    }

    JsonMapper json = JsonMapper.builder().build();
    List<String> lines =
        captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    // At least Spring's start line: a format test over no lines would prove nothing.
    assertThat(lines).isNotEmpty();
    assertThat(lines)
        .allSatisfy(
            line -> {
              JsonNode node = json.readTree(line);
              assertThat(node.isObject()).as(line).isTrue();
              assertThat(node.has("@timestamp")).as(line).isTrue();
              assertThat(node.at("/service/name").asString())
                  .as(line)
                  .isEqualTo("nimbus-pulumi-runner");
            });
  }
}
