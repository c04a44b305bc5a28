package dev.nimbus.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.testing.aws.TemplateTable;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The top-level {@code events/} fixtures of the discovery functions, for {@code sam local invoke
 * -e}: each parses into its handler's input type with the Lambda runtime's own serialization, and
 * carries what the handler needs.
 */
class SamEventsTest {
  private static final Path EVENTS = TemplateTable.locateTemplate().getParent().resolve("events");

  private static String file(String name) {
    return EVENTS.resolve(name).toString();
  }

  @Test
  void theScheduleTickIsAScheduledEvent() {
    ScheduledEvent tick = EventLoader.loadScheduledEvent(file("discovery-schedule-tick.json"));

    assertThat(tick.getDetailType()).isEqualTo("Scheduled Event");
    assertThat(tick.getTime()).isNotNull();
    assertThat(tick.getRegion()).isEqualTo("eu-central-1");
  }

  @Test
  void theRunMessageIsAnSqsBatchOfOneDiscoveryRequest() {
    SQSEvent batch = EventLoader.loadSQSEvent(file("discovery-run-sqs.json"));

    assertThat(batch.getRecords()).hasSize(1);
    SQSEvent.SQSMessage message = batch.getRecords().getFirst();
    assertThat(message.getMessageId()).isNotBlank();
    assertThat(DiscoveryScheduler.parse(message.getBody()).ref())
        .isEqualTo(new ConnectionRef("acme", "lab"));
  }
}
