package dev.nimbus.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.regions.Region;

/**
 * The ci-events application started with its variables as the only input: a bad configuration fails
 * the start and names every variable at fault.
 */
class CiEventsStartupConfigTest {

  private static ConfigurableApplicationContext start(String... variables) {
    return new SpringApplicationBuilder(CiEventsApplication.class)
        .logStartupInfo(false)
        .run(variables);
  }

  private static Throwable rootOfStartupFailure(String... variables) {
    Throwable thrown = catchThrowable(() -> start(variables).close());
    assertThat(thrown).as("the start must fail").isNotNull();
    while (thrown.getCause() != null) {
      thrown = thrown.getCause();
    }
    return thrown;
  }

  @Test
  void everyMissingAndInvalidVariableIsNamedAtOnce() {
    Throwable root =
        rootOfStartupFailure(
            "--spring.cloud.function.definition=ciEvents",
            "--AWS_REGION=",
            "--aws.region=",
            "--TABLE_NAME=",
            "--EVENT_BUS_NAME=",
            "--TOKEN_KEY_ID=alias/nimbus",
            "--NIMBUS_LOCAL_MODE=maybe",
            "--WEBHOOK_ALLOWED_CIDRS=10.0.0.0/8,intranet");

    assertThat(root)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the ci-events function ciEvents cannot start")
        .hasMessageContaining("AWS_REGION is not set")
        .hasMessageContaining("TABLE_NAME is not set")
        .hasMessageContaining("EVENT_BUS_NAME is not set")
        .hasMessageContaining("NIMBUS_LOCAL_MODE must be true or false: 'maybe'")
        .hasMessageContaining("WEBHOOK_ALLOWED_CIDRS holds 'intranet', which is not a CIDR range")
        .hasMessageNotContaining("TOKEN_KEY_ID");
  }

  @Test
  void theTemplatesVariablesStartTheReplayFunctionWithTheDocumentedDefaults() {
    try (ConfigurableApplicationContext context =
        start(
            "--spring.cloud.function.definition=replayWebhooks",
            "--AWS_REGION=eu-central-1",
            "--TABLE_NAME=nimbus",
            "--EVENT_BUS_NAME=nimbus-events",
            "--TOKEN_KEY_ID=alias/nimbus-proxmox-tokens",
            "--WEBHOOK_ALLOWED_CIDRS=10.8.0.0/16")) {
      CiEventsProperties p = context.getBean(CiEventsProperties.class);

      assertThat(p.region()).isEqualTo(Region.EU_CENTRAL_1);
      assertThat(p.webhookAllowedCidrs()).containsExactly("10.8.0.0/16");
      assertThat(p.localMode()).isFalse();
      assertThat(p.webhookMaxAttempts()).isEqualTo(3);
      assertThat(p.failureRetention()).isEqualTo(Duration.ofDays(14));
    }
  }
}
