package dev.nimbus.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.regions.Region;

/**
 * The discovery application started as Lambda starts it, with its variables as the only input: a
 * bad configuration fails the start and names every variable at fault, not just the first.
 */
class DiscoveryStartupConfigTest {

  private static ConfigurableApplicationContext start(String... variables) {
    return new SpringApplicationBuilder(DiscoveryApplication.class)
        .logStartupInfo(false)
        .run(variables);
  }

  private static Throwable startupFailure(String... variables) {
    Throwable thrown = catchThrowable(() -> start(variables).close());
    assertThat(thrown).as("the start must fail").isNotNull();
    Throwable root = thrown;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root;
  }

  @Test
  void aScheduleFunctionWithNothingSetNamesEveryRequiredVariable() {
    Throwable root =
        startupFailure(
            "--spring.cloud.function.definition=scheduleDiscovery",
            "--AWS_REGION=",
            "--aws.region=",
            "--TABLE_NAME=",
            "--TOKEN_KEY_ID=",
            "--DISCOVERY_QUEUE_URL=");

    assertThat(root)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "the discovery function scheduleDiscovery cannot start, fix its configuration:")
        .hasMessageContaining("AWS_REGION is not set")
        .hasMessageContaining("TABLE_NAME is not set")
        .hasMessageContaining("TOKEN_KEY_ID is not set")
        .hasMessageContaining("DISCOVERY_QUEUE_URL is not set");
  }

  @Test
  void invalidValuesAreNamedWithTheValueAndTheAllowedRange() {
    Throwable root =
        startupFailure(
            "--spring.cloud.function.definition=runDiscovery",
            "--AWS_REGION=Frankfurt",
            "--TABLE_NAME=nimbus",
            "--TOKEN_KEY_ID=alias/nimbus",
            "--DISCOVERY_SWEEP_RUNS=often",
            "--PROXMOX_MAX_CONCURRENT_REQUESTS=0",
            "--DISCOVERY_RUN_BUDGET=PT20M",
            "--DISCOVERY_GUEST_AGENT=yes",
            "--CI_HISTORY_RETENTION_DAYS=-1");

    assertThat(root.getMessage())
        .contains("AWS_REGION is not a region name such as eu-central-1: 'Frankfurt'")
        .contains("DISCOVERY_SWEEP_RUNS must be a whole number from 1 to 10000: 'often'")
        .contains("PROXMOX_MAX_CONCURRENT_REQUESTS must be a whole number from 1 to 64: '0'")
        .contains("DISCOVERY_RUN_BUDGET must be a duration from PT10S to PT14M")
        .contains("DISCOVERY_GUEST_AGENT must be true or false: 'yes'")
        .contains("CI_HISTORY_RETENTION_DAYS must be a whole number from 1 to 36500: '-1'")
        // The run function does not queue anything, so it does not need the queue.
        .doesNotContain("DISCOVERY_QUEUE_URL")
        .doesNotContain("TABLE_NAME");
  }

  @Test
  void aCompleteConfigurationStartsWithTheTemplatesValuesAndTheDocumentedDefaults() {
    try (ConfigurableApplicationContext context =
        start(
            "--spring.cloud.function.definition=runDiscovery",
            "--AWS_REGION=eu-central-1",
            "--TABLE_NAME=nimbus",
            "--TOKEN_KEY_ID=alias/nimbus-proxmox-tokens")) {
      DiscoveryProperties p = context.getBean(DiscoveryProperties.class);

      assertThat(p.region()).isEqualTo(Region.EU_CENTRAL_1);
      assertThat(p.tableName()).isEqualTo("nimbus");
      assertThat(p.sweepRuns()).isEqualTo(24);
      assertThat(p.maxConcurrentRequests()).isEqualTo(16);
      assertThat(p.runBudget()).isEqualTo(Duration.ofMinutes(13));
      assertThat(p.guestAgent()).isTrue();
      assertThat(p.historyRetentionDays()).isEqualTo(400);
    }
  }
}
