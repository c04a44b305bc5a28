package dev.nimbus.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;

/**
 * The real handler through {@code FunctionInvoker}, fed a Lambda stream event from a fixture file.
 * The batch holds no decodable CI, so nothing is sent to AWS: this checks the wiring, the event's
 * deserialization and the batch failure answer without an emulator.
 */
class CiEventsFunctionTest {
  private static FunctionInvoker invoker;

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
    invoker = new FunctionInvoker();
  }

  @AfterAll
  static void clear() {
    for (String p :
        new String[] {
          "MAIN_CLASS",
          "spring.cloud.function.definition",
          "nimbus.events.table-name",
          "nimbus.events.event-bus-name",
          "nimbus.events.token-key-id",
          "aws.region",
          "aws.endpointUrl"
        }) {
      System.clearProperty(p);
    }
  }

  @Test
  void aBatchWithOnePoisonRecordReportsOnlyThatRecordAsFailed() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = getClass().getResourceAsStream("/events/stream-batch-with-poison.json")) {
      invoker.handleRequest(in, out, null);
    }

    JsonNode response = CiChangeEventJson.parse(out.toString(StandardCharsets.UTF_8));
    assertThat(response.get("batchItemFailures")).hasSize(1);
    assertThat(response.at("/batchItemFailures/0/itemIdentifier").asString())
        .isEqualTo("4100000000000000000002");
  }
}
