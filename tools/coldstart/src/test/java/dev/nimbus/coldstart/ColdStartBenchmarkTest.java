package dev.nimbus.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's arithmetic and file choices; the measurement itself is bin/coldstart. */
class ColdStartBenchmarkTest {

  @Test
  void theSummaryIsTheMedianWithItsRange() {
    assertThat(ColdStartBenchmark.summary(List.of(700.0, 612.4, 640.0))).isEqualTo("640 (612-700)");
    assertThat(ColdStartBenchmark.summary(List.of(600.0, 700.0))).isEqualTo("650 (600-700)");
    assertThat(ColdStartBenchmark.summary(List.of(598.6))).isEqualTo("599");
  }

  @Test
  void theProbeLineIsReadFieldByField() {
    String line =
        ColdStartProbe.MARKER
            + " initialised=1000 restored=1500 handled=2600 primed=1 cpu=3000 answer={\"due\":0}";

    assertThat(ColdStartBenchmark.field(line, "handled")).isEqualTo(2600);
    assertThat(ColdStartBenchmark.field(line, "primed")).isEqualTo(1);
    assertThatThrownBy(() -> ColdStartBenchmark.field(line, "missing"))
        .hasMessageContaining("missing");
  }

  @Test
  void theShadedJarIsChosenForAFunctionAndThePlainJarForTheProbe(@TempDir Path dir)
      throws IOException {
    for (String name :
        List.of(
            "nimbus-discovery-0.1.0-SNAPSHOT.jar",
            "nimbus-discovery-0.1.0-SNAPSHOT-aws.jar",
            "nimbus-coldstart-0.1.0-SNAPSHOT-sources.jar",
            "nimbus-coldstart-0.1.0-SNAPSHOT.jar")) {
      Files.writeString(dir.resolve(name), "");
    }

    assertThat(ColdStartBenchmark.jar(dir, "nimbus-", "-aws.jar").getFileName())
        .hasToString("nimbus-discovery-0.1.0-SNAPSHOT-aws.jar");
    assertThat(ColdStartBenchmark.jar(dir, "nimbus-coldstart-", ".jar").getFileName())
        .hasToString("nimbus-coldstart-0.1.0-SNAPSHOT.jar");
    assertThatThrownBy(() -> ColdStartBenchmark.jar(dir, "nimbus-wizard-", "-aws.jar"))
        .hasMessageContaining("nimbus-wizard-");
  }

  @Test
  void everyFunctionHasItsEventFixtureAndTheLambdaRuntimeJarsAreFound() {
    for (ColdStartBenchmark.Function f :
        Stream.concat(ColdStartBenchmark.FUNCTIONS.stream(), ColdStartBenchmark.FLOORS.stream())
            .toList()) {
      assertThat(ColdStartBenchmark.class.getResource("/coldstart/" + f.event()))
          .as(f.event())
          .isNotNull();
    }
    assertThat(ColdStartBenchmark.RUNTIME_JARS)
        .extracting(p -> p.getFileName().toString())
        .anyMatch(n -> n.startsWith("aws-lambda-java-core-"))
        .anyMatch(n -> n.startsWith("aws-lambda-java-serialization-"));
  }

  @Test
  void floorsAreChosenByNameBesideFunctionsAndOnlyZipFunctionsArePrimed() {
    assertThat(ColdStartBenchmark.select("sdkFloor,scheduleDiscovery,frameworkFloor"))
        .extracting(ColdStartBenchmark.Function::name)
        .containsExactly("sdkFloor", "scheduleDiscovery", "frameworkFloor");
    assertThat(ColdStartBenchmark.select("sdkFloor").getFirst().probe())
        .isEqualTo(SdkFloorProbe.class);
    assertThatThrownBy(() -> ColdStartBenchmark.select("nothing"))
        .hasMessageContaining("frameworkFloor");

    assertThat(ColdStartBenchmark.FUNCTIONS)
        .filteredOn(ColdStartBenchmark.Function::primable)
        .extracting(ColdStartBenchmark.Function::name)
        .doesNotContain("deploy", "driftAfterDiscovery")
        .contains("scheduleDiscovery", "wizardApi");
    assertThat(ColdStartBenchmark.FLOORS).noneMatch(ColdStartBenchmark.Function::primable);
  }
}
