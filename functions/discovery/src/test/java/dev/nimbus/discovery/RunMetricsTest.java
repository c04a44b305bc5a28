package dev.nimbus.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.aws.metrics.Metrics;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.SemanticType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Embedded Metric Format record of a discovery run: shape, names, units and values. */
class RunMetricsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant START = Instant.parse("2026-11-26T08:00:00Z");
  private static final ConnectionRef LAB = new ConnectionRef("acme", "lab");

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final RunMetrics metrics =
      new RunMetrics(
          new Metrics(
              "Nimbus/nimbus-proxmox",
              Clock.fixed(START.plusSeconds(2), ZoneOffset.UTC),
              () -> new PrintStream(bytes, true, StandardCharsets.UTF_8)));

  private JsonNode emitted() {
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).hasLineCount(1);
    return JSON.readTree(text);
  }

  @Test
  void aPartialRunIsOneRecordWithEveryCountOfItsRunRecord() {
    RunRecord run =
        new RunRecord(
            LAB,
            START,
            START.plusMillis(1_234),
            3,
            2,
            1,
            4,
            40,
            5,
            55,
            2,
            21,
            Set.of("node/pve3"),
            List.of("SCOPE_UNREACHABLE node/pve3: offline", "PERMISSION / Sys.Audit"));

    metrics.emit(
        new RunReport(LAB, true, run, Map.of(SemanticType.COMPUTE, 9), 20, run.errors()), "m-1");

    JsonNode emf = emitted();
    JsonNode directive = emf.at("/_aws/CloudWatchMetrics/0");
    assertThat(directive.get("Namespace").asString()).isEqualTo("Nimbus/nimbus-proxmox");
    assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Service\"]]");
    assertThat(
            StreamSupport.stream(directive.get("Metrics").spliterator(), false)
                .map(m -> m.get("Name").asString()))
        .containsExactly(
            "RunFailed",
            "ProxmoxCalls",
            "CisCreated",
            "CisUpdated",
            "CisDeleted",
            "CisUnreachable",
            "CisRecovered",
            "CisUnchanged",
            "DynamoDbWriteRequests",
            "DynamoDbWrittenItems",
            "DurationMs",
            "Problems",
            "FailedScopes");
    assertThat(emf.get("Service").asString()).isEqualTo("discovery");
    assertThat(emf.get("RunFailed").asInt()).isZero();
    assertThat(emf.get("ProxmoxCalls").asLong()).isEqualTo(55);
    assertThat(emf.get("CisCreated").asInt()).isEqualTo(3);
    assertThat(emf.get("CisUpdated").asInt()).isEqualTo(2);
    assertThat(emf.get("CisRecovered").asInt()).isEqualTo(1);
    assertThat(emf.get("CisDeleted").asInt()).isEqualTo(4);
    assertThat(emf.get("CisUnchanged").asInt()).isEqualTo(40);
    assertThat(emf.get("CisUnreachable").asInt()).isEqualTo(5);
    // The apply's 2 requests / 21 items, plus the run record itself.
    assertThat(emf.get("DynamoDbWriteRequests").asLong()).isEqualTo(3);
    assertThat(emf.get("DynamoDbWrittenItems").asLong()).isEqualTo(22);
    assertThat(emf.get("DurationMs").asLong()).isEqualTo(1_234);
    assertThat(emf.get("Problems").asInt()).isEqualTo(2);
    assertThat(emf.get("FailedScopes").asInt()).isEqualTo(1);
    assertThat(emf.get("tenantId").asString()).isEqualTo("acme");
    assertThat(emf.get("connectionId").asString()).isEqualTo("lab");
    assertThat(emf.get("runId").asString()).isEqualTo("m-1");
  }

  @Test
  void aRunThatThrewCountsAsFailedSoTheAlarmSeesIt() {
    metrics.emitThrown(LAB, "m-2", new IllegalStateException("table unavailable"));

    JsonNode emf = emitted();
    assertThat(emf.get("RunFailed").asInt()).isEqualTo(1);
    assertThat(emf.get("error").asString()).isEqualTo("IllegalStateException");
    assertThat(emf.toString()).doesNotContain("table unavailable");
  }
}
