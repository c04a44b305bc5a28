package dev.nimbus.pulumi.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real application as the Lambda runtime starts it ({@code MAIN_CLASS}, {@code
 * FunctionInvoker}), configured through the variables the template sets. AWS points at a port
 * nothing listens on: these requests must be answered without any AWS call.
 */
class PulumiRunnerApplicationTest {
  private static final List<String> VARIABLES =
      List.of(
          "MAIN_CLASS",
          "TABLE_NAME",
          "TOKEN_KEY_ID",
          "PULUMI_STATE_BUCKET",
          "PULUMI_KMS_KEY",
          "AWS_REGION",
          "aws.region",
          "aws.endpointUrl",
          "aws.accessKeyId",
          "aws.secretAccessKey");

  @AfterEach
  void clear() {
    VARIABLES.forEach(System::clearProperty);
  }

  private static void configure(boolean complete) {
    System.setProperty("MAIN_CLASS", PulumiRunnerApplication.class.getName());
    System.setProperty("TABLE_NAME", "nimbus-unit");
    System.setProperty("TOKEN_KEY_ID", "alias/nimbus-unit-tokens");
    System.setProperty("aws.region", "eu-central-1");
    System.setProperty("aws.endpointUrl", "http://127.0.0.1:9");
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    if (complete) {
      System.setProperty("PULUMI_STATE_BUCKET", "nimbus-unit-state");
      System.setProperty("PULUMI_KMS_KEY", "alias/nimbus-unit-pulumi");
      System.setProperty("AWS_REGION", "eu-central-1");
    }
  }

  @Test
  void aMissingVariableFailsTheStartNamingEveryMissingOne() {
    configure(false);

    Throwable failure = catchThrowable(FunctionInvoker::new);

    assertThat(failure).isNotNull();
    String messages =
        Stream.iterate(failure, t -> t != null, Throwable::getCause)
            .map(String::valueOf)
            .reduce("", (a, b) -> a + "\n" + b);
    assertThat(messages)
        .contains(
            "the Pulumi runner is not configured: set PULUMI_STATE_BUCKET, PULUMI_KMS_KEY,"
                + " AWS_REGION");
    assertThat(messages).doesNotContain("set TABLE_NAME");
  }

  @Test
  void theConfiguredApplicationAnswersABadRequestWithFieldErrorsWithoutCallingAws()
      throws Exception {
    configure(true);
    FunctionInvoker invoker = new FunctionInvoker();
    String request =
        "{\"operation\":\"preview\",\"tenantId\":\"acme\",\"connectionId\":\"lab\","
            + "\"program\":\"k8s-cluster\",\"inputs\":{}}";
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    invoker.handleRequest(
        new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), out, null);

    JsonNode answer = JsonMapper.builder().build().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(answer.get("status").asInt()).isEqualTo(400);
    assertThat(answer.at("/errors/0/field").asString()).isEqualTo("program");
    assertThat(answer.at("/errors/0/message").asString())
        .isEqualTo("unknown program; one of vm, container, pool, security-group, sdn-vnet");
  }
}
