package dev.nimbus.wizard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The wizard application started as Lambda starts it, with its variables as the only input: a bad
 * configuration fails the start and names every variable at fault, not just the first.
 */
class WizardStartupConfigTest {

  private static Throwable startupFailure(String... variables) {
    Throwable thrown =
        catchThrowable(
            () ->
                new SpringApplicationBuilder(WizardApplication.class)
                    .logStartupInfo(false)
                    .run(variables)
                    .close());
    assertThat(thrown).as("the start must fail").isNotNull();
    Throwable root = thrown;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root;
  }

  @Test
  void nothingSetNamesEveryRequiredVariable() {
    Throwable root =
        startupFailure(
            "--AWS_REGION=",
            "--aws.region=",
            "--TABLE_NAME=",
            "--TOKEN_KEY_ID=",
            "--DISCOVERY_QUEUE_URL=",
            "--USAGE_FUNCTION_NAME=",
            "--RUNNER_FUNCTION_NAME=");

    assertThat(root)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "the wizard function wizardApi cannot start, fix its configuration:")
        .hasMessageContaining("AWS_REGION is not set")
        .hasMessageContaining("TABLE_NAME is not set")
        .hasMessageContaining("TOKEN_KEY_ID is not set")
        .hasMessageContaining("DISCOVERY_QUEUE_URL is not set")
        .hasMessageContaining("USAGE_FUNCTION_NAME is not set");
  }

  @Test
  void invalidValuesAreNamedWithTheirVariable() {
    Throwable root =
        startupFailure(
            "--AWS_REGION=eu-central-1",
            "--TABLE_NAME=nimbus",
            "--TOKEN_KEY_ID=alias/nimbus",
            "--DISCOVERY_QUEUE_URL=https://sqs.eu-central-1.amazonaws.com/1/q",
            "--USAGE_FUNCTION_NAME=nimbus-usage",
            "--RUNNER_FUNCTION_NAME=nimbus-runner",
            "--USAGE_RETENTION_DAYS=-1",
            "--WIZARD_PREVIEW_BUDGET=PT40S",
            "--WIZARD_ALLOWED_PRIVATE_CIDRS=10.0.0.0/33",
            "--WEBHOOK_ALLOWED_CIDRS=vpn.example",
            "--CI_HISTORY_RETENTION_DAYS=0",
            // Inside Lambda a started preview needs its second invocation, not a thread.
            "--AWS_LAMBDA_FUNCTION_NAME=nimbus-wizard",
            "--WIZARD_PREVIEW_FUNCTION=");

    assertThat(root.getMessage())
        .contains("WIZARD_PREVIEW_BUDGET must be a duration from PT1S to PT25S")
        .contains("WIZARD_ALLOWED_PRIVATE_CIDRS must be comma-separated CIDRs")
        .contains("WEBHOOK_ALLOWED_CIDRS must be comma-separated CIDRs")
        .contains("CI_HISTORY_RETENTION_DAYS must be a whole number from 1 to 36500")
        .contains("WIZARD_PREVIEW_FUNCTION is required in Lambda")
        .contains("USAGE_RETENTION_DAYS must be a whole number from 1 to 36500");
  }
}
