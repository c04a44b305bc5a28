package dev.nimbus.aws.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MetricRecordTest {
  private static final Instant AT = Instant.parse("2026-11-26T08:00:00.250Z");

  @Test
  void aRecordIsOneLineOfEmbeddedMetricFormatThatNamesEachMetricAndDimension() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Metrics metrics = new Metrics("Nimbus/test", Clock.fixed(AT, ZoneOffset.UTC), () -> out);

    metrics.emit(
        metrics
            .record()
            .dimension("Service", "discovery")
            .count("ProxmoxCalls", 55)
            .milliseconds("DurationMs", 812)
            .property("tenantId", "acme")
            .property("absent", null));

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith(System.lineSeparator()).hasLineCount(1);
    JsonNode emf = JsonMapper.builder().build().readTree(text);
    assertThat(emf.at("/_aws/Timestamp").asLong()).isEqualTo(AT.toEpochMilli());
    JsonNode directive = emf.at("/_aws/CloudWatchMetrics/0");
    assertThat(directive.get("Namespace").asString()).isEqualTo("Nimbus/test");
    assertThat(directive.at("/Dimensions/0/0").asString()).isEqualTo("Service");
    assertThat(directive.at("/Dimensions/0")).hasSize(1);
    assertThat(directive.at("/Metrics/0/Name").asString()).isEqualTo("ProxmoxCalls");
    assertThat(directive.at("/Metrics/0/Unit").asString()).isEqualTo("Count");
    assertThat(directive.at("/Metrics/1/Unit").asString()).isEqualTo("Milliseconds");
    // Every dimension and metric named in the metadata is a top-level member with its value.
    assertThat(emf.get("Service").asString()).isEqualTo("discovery");
    assertThat(emf.get("ProxmoxCalls").asLong()).isEqualTo(55);
    assertThat(emf.get("DurationMs").asLong()).isEqualTo(812);
    assertThat(emf.get("tenantId").asString()).isEqualTo("acme");
    assertThat(emf.has("absent")).isFalse();
  }
}
