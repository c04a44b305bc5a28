package dev.nimbus.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.testing.aws.TemplateTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;

/**
 * The delivery handler through {@code FunctionInvoker}, fed the {@code events/} fixture, with AWS
 * unreachable: the webhook cannot be read, so the delivery is neither made nor lost but handed back
 * to the queue; a message that is not a delivery is dropped rather than redelivered forever.
 */
class DeliverWebhooksFunctionTest {
  private static final List<String> PROPERTIES =
      List.of(
          "MAIN_CLASS",
          "spring.cloud.function.definition",
          "nimbus.events.table-name",
          "nimbus.events.event-bus-name",
          "nimbus.events.token-key-id",
          "nimbus.events.webhook-delivery-queue-url",
          "aws.region",
          "aws.endpointUrl",
          "aws.accessKeyId",
          "aws.secretAccessKey");
  private static FunctionInvoker invoker;

  @BeforeAll
  static void start() {
    System.setProperty("MAIN_CLASS", CiEventsApplication.class.getName());
    System.setProperty("spring.cloud.function.definition", "deliverWebhooks");
    System.setProperty("nimbus.events.table-name", "nimbus-unit");
    System.setProperty("nimbus.events.event-bus-name", "nimbus-unit-bus");
    System.setProperty("nimbus.events.token-key-id", "alias/nimbus-unit");
    System.setProperty(
        "nimbus.events.webhook-delivery-queue-url",
        "http://127.0.0.1:9/000000000000/nimbus-unit-deliveries");
    System.setProperty("aws.region", "eu-central-1");
    // Nothing listens there: every AWS call fails fast.
    System.setProperty("aws.endpointUrl", "http://127.0.0.1:9");
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    invoker = new FunctionInvoker("deliverWebhooks");
  }

  @AfterAll
  static void clear() {
    PROPERTIES.forEach(System::clearProperty);
  }

  private static JsonNode invoke(String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    invoker.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return CiChangeEventJson.parse(out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aDeliveryWhoseWebhookCannotBeReadIsHandedBackNotLost() throws Exception {
    Path fixture =
        TemplateTable.locateTemplate().getParent().resolve("events/webhook-delivery-sqs.json");

    JsonNode answer = invoke(Files.readString(fixture));

    assertThat(answer.get("batchItemFailures")).hasSize(1);
    assertThat(answer.at("/batchItemFailures/0/itemIdentifier").asString())
        .isEqualTo("7b3e2a10-4c5d-4e6f-8a9b-0c1d2e3f4a5b");
  }

  @Test
  void aMessageThatIsNotADeliveryIsDropped() throws Exception {
    JsonNode answer =
        invoke(
            """
            {"Records": [{"messageId": "m-1", "receiptHandle": "r-1", "body": "{}",
              "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
              "eventSource": "aws:sqs", "awsRegion": "eu-central-1"}]}
            """);

    assertThat(answer.get("batchItemFailures")).isEmpty();
  }
}
