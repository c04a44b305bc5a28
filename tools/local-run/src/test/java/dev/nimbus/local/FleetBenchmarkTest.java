package dev.nimbus.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.testing.aws.AwsCallCounter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class FleetBenchmarkTest {

  @Test
  void optionsDefaultToOneHundredAndOneThousandConnectionsAndRejectWhatMakesNoSense() {
    var defaults = FleetBenchmark.parse(new String[0]);
    assertThat(defaults.sizes()).containsExactly(100, 1000);
    assertThat(defaults.workers()).isEqualTo(10);
    assertThat(defaults.maxRuns()).isEqualTo(20);
    assertThat(FleetBenchmark.parse(new String[] {"--quick"}).sizes()).containsExactly(100);
    assertThat(FleetBenchmark.parse(new String[] {"--connections", "20, 1_000"}).sizes())
        .containsExactly(20, 1000);
    assertThat(FleetBenchmark.parse(new String[] {"--connections", "0"})).isNull();
    assertThat(FleetBenchmark.parse(new String[] {"--workers", "0"})).isNull();
    assertThat(FleetBenchmark.parse(new String[] {"--bogus"})).isNull();
  }

  @Test
  void itemSizeCountsNamesAndValuesAsDynamoDbDoes() {
    // "PK" 2 + "TENANT#a" 8, "n" 1 + "12345" (3 + 1), "m" 1 + map (3 + "k" 1 + "vv" 2 + 1)
    Map<String, AttributeValue> item =
        Map.of(
            "PK", AttributeValue.fromS("TENANT#a"),
            "n", AttributeValue.fromN("12345"),
            "m", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("vv"))));
    assertThat(FleetBenchmark.itemSize(item)).isEqualTo(10 + 4 + 8);
  }

  @Test
  void countsSubtractAndGroupByService() {
    var before = new AwsCallCounter.Counts(new TreeMap<>(Map.of("DynamoDb.Query", 1L)), 1_000_000L);
    var after =
        new AwsCallCounter.Counts(
            new TreeMap<>(
                Map.of(
                    "DynamoDb.Query", 2L, "DynamoDb.UpdateItem", 60L, "Sqs.SendMessageBatch", 6L)),
            4_000_000L);
    var tick = after.minus(before);
    assertThat(tick.service("DynamoDb")).isEqualTo(61);
    assertThat(tick.of("Sqs.SendMessageBatch")).isEqualTo(6);
    assertThat(tick.service("Kms")).isZero();
    assertThat(tick.describe("DynamoDb")).isEqualTo("Query 1, UpdateItem 60");
    assertThat(tick.describe("Kms")).isEqualTo("none");
    assertThat(tick.wireNanos()).isEqualTo(3_000_000L);
    assertThat(List.copyOf(tick.byOperation().keySet()))
        .containsExactly("DynamoDb.Query", "DynamoDb.UpdateItem", "Sqs.SendMessageBatch");
  }
}
