package dev.nimbus.wizard.api;

import dev.nimbus.testing.aws.AwsTestEnvironment;

/**
 * Points the wizard function (through system properties, as FunctionInvoker reads them) at the
 * emulator.
 */
final class WizardEnvironment {
  static final String USAGE_FUNCTION = "nimbus-usage-it";
  static final String RUNNER_FUNCTION = "nimbus-pulumi-runner-it";

  private WizardEnvironment() {}

  static void configure(AwsTestEnvironment aws, String queueUrl) {
    System.setProperty("MAIN_CLASS", WizardApplication.class.getName());
    System.setProperty("TABLE_NAME", aws.tableName());
    System.setProperty("TOKEN_KEY_ID", aws.keyAlias());
    System.setProperty("DISCOVERY_QUEUE_URL", queueUrl);
    System.setProperty("USAGE_FUNCTION_NAME", USAGE_FUNCTION);
    System.setProperty("RUNNER_FUNCTION_NAME", RUNNER_FUNCTION);
    // The simulator listens on loopback: this deployment's allow-list names it.
    System.setProperty("WIZARD_ALLOWED_PRIVATE_CIDRS", "127.0.0.0/8");
    System.setProperty("aws.endpointUrl", aws.endpoint().toString());
    System.setProperty("aws.region", aws.region());
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
  }
}
