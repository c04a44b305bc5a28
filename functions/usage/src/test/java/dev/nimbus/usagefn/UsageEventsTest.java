package dev.nimbus.usagefn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.testing.aws.TemplateTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.json.JacksonMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code events/} fixtures of the usage function parse into its input type with the mapper
 * Spring Cloud Function uses, and carry what the handler needs.
 */
class UsageEventsTest {
  private static final Path EVENTS = TemplateTable.locateTemplate().getParent().resolve("events");
  private final JacksonMapper mapper = new JacksonMapper(JsonMapper.builder().build());

  private UsageInvocation parse(String name) throws IOException {
    return mapper.fromJson(Files.readAllBytes(EVENTS.resolve(name)), UsageInvocation.class);
  }

  @Test
  void theOnDemandEventNamesAConnectionAndATwoHourBackfill() throws IOException {
    UsageInvocation in = parse("usage-sample.json");
    assertThat(in.schedule()).isNull();
    assertThat(in.tenantId()).isEqualTo("acme");
    assertThat(in.connectionId()).isEqualTo("lab");
    assertThat(Duration.between(Instant.parse(in.from()), Instant.parse(in.to())))
        .isEqualTo(Duration.ofHours(2));
  }

  @Test
  void theScheduleEventAsksForEveryScheduledConnection() throws IOException {
    UsageInvocation in = parse("usage-schedule.json");
    assertThat(in.schedule()).isTrue();
    assertThat(in.tenantId()).isNull();
  }
}
