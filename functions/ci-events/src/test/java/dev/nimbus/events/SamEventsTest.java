package dev.nimbus.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.testing.aws.TemplateTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The top-level {@code events/} fixtures of the ci-events functions, for {@code sam local invoke
 * -e}: each parses into its handler's input type (the stream batch with the Lambda runtime's own
 * serialization) and stands for what its file says.
 */
class SamEventsTest {
  private static final Path EVENTS = TemplateTable.locateTemplate().getParent().resolve("events");

  @Test
  void theStreamBatchIsADynamodbEventWhoseRecordsAreACreationAndAnUpdate() {
    DynamodbEvent batch =
        EventLoader.loadDynamoDbEvent(EVENTS.resolve("ci-events-stream.json").toString());

    List<ChangeRecord> records = LambdaStreamRecords.of(batch);
    CiChangeEventFactory factory = new CiChangeEventFactory();
    List<CiChangeEvent> events =
        records.stream().map(factory::eventFor).flatMap(java.util.Optional::stream).toList();

    assertThat(records).hasSize(2);
    assertThat(events)
        .extracting(CiChangeEvent::kind)
        .containsExactly(ChangeKind.CREATED, ChangeKind.UPDATED);
    assertThat(events.getLast().summary())
        .startsWith("UPDATED qemu/101 web-1: attributes.memory 2048 -> 4096 by alice@pve");
  }

  @Test
  void theReplayRequestNamesATenantAndAWebhook() throws IOException {
    WebhookReplayFunction.Request request =
        JsonMapper.builder()
            .build()
            .readValue(
                Files.readString(EVENTS.resolve("webhook-replay.json")),
                WebhookReplayFunction.Request.class);

    assertThat(request.tenantId()).isEqualTo("acme");
    assertThat(request.webhookId()).isEqualTo("ops-chat");
  }
}
