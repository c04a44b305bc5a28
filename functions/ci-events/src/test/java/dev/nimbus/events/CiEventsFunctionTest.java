package dev.nimbus.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.testing.lambda.LambdaHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real handler through {@code FunctionInvoker} ({@link LambdaHarness}), fed a Lambda stream
 * event from a fixture file. The batch holds no decodable CI, so nothing is sent to AWS: this
 * checks the wiring, the event's deserialization and the batch failure answer without an emulator.
 */
class CiEventsFunctionTest {
  private static LambdaHarness ciEvents;

  @BeforeAll
  static void start() {
    ciEvents =
        LambdaHarness.forApplication(CiEventsApplication.class)
            .function("ciEvents")
            .property("nimbus.events.table-name", "nimbus-unit")
            .property("nimbus.events.event-bus-name", "nimbus-unit-bus")
            .property("nimbus.events.token-key-id", "alias/nimbus-unit")
            .property("nimbus.events.region", "eu-central-1")
            // Nothing listens there: a call to AWS would fail the test rather than reach anything.
            .property("nimbus.events.endpoint", "http://127.0.0.1:9")
            .start();
  }

  @AfterAll
  static void stop() {
    ciEvents.close();
  }

  @Test
  void aBatchWithOnePoisonRecordReportsOnlyThatRecordAsFailed() {
    JsonNode response =
        CiChangeEventJson.parse(ciEvents.invokeFixture("events/stream-batch-with-poison.json"));

    assertThat(response.get("batchItemFailures")).hasSize(1);
    assertThat(response.at("/batchItemFailures/0/itemIdentifier").asString())
        .isEqualTo("4100000000000000000002");
  }
}
