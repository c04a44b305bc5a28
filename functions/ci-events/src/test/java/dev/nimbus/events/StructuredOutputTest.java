package dev.nimbus.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.nimbus.aws.lambda.LambdaHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an invocation writes to stdout, as CloudWatch Logs receives it: through the template's
 * handler ({@link LambdaHandler}), every line is one JSON object; log lines carry the Lambda
 * request id; the batch ends with one Embedded Metric Format record. No emulator: the batch holds
 * no decodable CI, so no AWS call is made.
 */
class StructuredOutputTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String REQUEST_ID = "6f2c1d7e-4b1a-4c55-9a0e-0c1d2e3f4a5b";
  private static LambdaHandler handler;

  @BeforeAll
  static void start() {
    System.setProperty("MAIN_CLASS", CiEventsApplication.class.getName());
    System.setProperty("spring.cloud.function.definition", "ciEvents");
    System.setProperty("nimbus.events.table-name", "nimbus-unit");
    System.setProperty("nimbus.events.event-bus-name", "nimbus-unit-bus");
    System.setProperty("nimbus.events.token-key-id", "alias/nimbus-unit");
    System.setProperty("aws.region", "eu-central-1");
    // Nothing listens there: a call to AWS would fail the test rather than reach anything.
    System.setProperty("aws.endpointUrl", "http://127.0.0.1:9");
    System.setProperty("METRICS_NAMESPACE", "Nimbus/unit");
    handler = new LambdaHandler();
  }

  @AfterAll
  static void clear() {
    for (String p :
        List.of(
            "MAIN_CLASS",
            "spring.cloud.function.definition",
            "nimbus.events.table-name",
            "nimbus.events.event-bus-name",
            "nimbus.events.token-key-id",
            "aws.region",
            "aws.endpointUrl",
            "METRICS_NAMESPACE")) {
      System.clearProperty(p);
    }
  }

  @Test
  void everyLineIsOneJsonObjectLogLinesCarryTheRequestIdAndTheBatchEndsWithItsMetrics()
      throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (InputStream in = getClass().getResourceAsStream("/events/stream-batch-with-poison.json")) {
      handler.handleRequest(in, response, new FakeContext(REQUEST_ID));
    } finally {
      System.setOut(stdout);
    }

    List<JsonNode> lines = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\\R")) {
      if (!line.isBlank()) {
        JsonNode node = JSON.readTree(line);
        assertThat(node.isObject()).as(line).isTrue();
        lines.add(node);
      }
    }
    List<JsonNode> logs = lines.stream().filter(n -> !n.has("_aws")).toList();
    List<JsonNode> metrics = lines.stream().filter(n -> n.has("_aws")).toList();

    // The poison record's error line, as ECS JSON with the request id.
    assertThat(logs)
        .anySatisfy(
            n ->
                assertThat(n.get("message").asString()).contains("cannot be turned into an event"));
    assertThat(logs)
        .allSatisfy(
            n -> {
              assertThat(n.get("requestId").asString()).isEqualTo(REQUEST_ID);
              assertThat(n.get("function").asString()).isEqualTo("nimbus-ci-events");
              assertThat(n.has("@timestamp")).isTrue();
            });
    assertThat(metrics).hasSize(1);
    JsonNode emf = metrics.getFirst();
    assertThat(emf.at("/_aws/CloudWatchMetrics/0/Namespace").asString()).isEqualTo("Nimbus/unit");
    assertThat(emf.get("Service").asString()).isEqualTo("ci-events");
    assertThat(emf.get("Records").asInt()).isEqualTo(3);
    assertThat(emf.get("FailedRecords").asInt()).isEqualTo(1);
    assertThat(emf.get("WebhookDeliveries").asInt()).isZero();
    assertThat(JSON.readTree(response.toString(StandardCharsets.UTF_8)).get("batchItemFailures"))
        .hasSize(1);
  }

  /** The parts of a Lambda context the handler reads. */
  record FakeContext(String requestId) implements Context {
    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/nimbus-ci-events";
    }

    @Override
    public String getLogStreamName() {
      return "2026/11/26/[$LATEST]0123456789abcdef";
    }

    @Override
    public String getFunctionName() {
      return "nimbus-ci-events";
    }

    @Override
    public String getFunctionVersion() {
      return "1";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:eu-central-1:123456789012:function:nimbus-ci-events:live";
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 60_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 512;
    }

    @Override
    public LambdaLogger getLogger() {
      return null;
    }
  }
}
