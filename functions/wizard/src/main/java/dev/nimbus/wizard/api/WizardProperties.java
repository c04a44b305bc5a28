package dev.nimbus.wizard.api;

import dev.nimbus.aws.ConfigCheck;
import dev.nimbus.netpolicy.Cidr;
import dev.nimbus.wizard.HostPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;

/**
 * Configuration of the wizard function, read from the Lambda environment once at start-up (see
 * application.properties for the variable behind each {@code nimbus.wizard.*} key) and checked as a
 * whole: a function that cannot run fails to start and names every missing or invalid variable.
 *
 * @param region the AWS region ({@code AWS_REGION}); required, never guessed
 * @param tableName the Nimbus table ({@code TABLE_NAME})
 * @param tokenKeyId the KMS key or alias for token and webhook secrets ({@code TOKEN_KEY_ID})
 * @param queueUrl the discovery queue, for "run now" ({@code DISCOVERY_QUEUE_URL})
 * @param tenantClaim the JWT claim that names the caller's tenant ({@code WIZARD_TENANT_CLAIM},
 *     default {@code custom:tenant}, a Cognito custom attribute)
 * @param allowedPrivateCidrs private ranges the wizard may connect to, comma-separated ({@code
 *     WIZARD_ALLOWED_PRIVATE_CIDRS}); empty: public addresses only
 * @param historyRetentionDays days a CI history item is kept ({@code CI_HISTORY_RETENTION_DAYS})
 * @param previewBudget how long a preview may read the cluster, inside API Gateway's 30 s
 * @param webhookAllowedCidrs private ranges webhook URLs may resolve to ({@code
 *     WEBHOOK_ALLOWED_CIDRS}, as for the ci-events function)
 * @param webhookLocalMode allow loopback webhook URLs ({@code NIMBUS_LOCAL_MODE}; local run and
 *     tests only)
 * @param webhookTrustPem a PEM file whose certificates alone are trusted for the test delivery
 *     ({@code WEBHOOK_TRUST_PEM}; local run and tests); empty: the JVM's trust store
 * @param previewFunction the function (name, ARN or name:alias) a started preview is handed to with
 *     an asynchronous invocation ({@code WIZARD_PREVIEW_FUNCTION}, the wizard function itself);
 *     empty: a thread of this process (bin/wizard and tests), refused inside Lambda
 * @param usageFunction the usage function "sample now" hands work to ({@code USAGE_FUNCTION_NAME})
 * @param runnerFunction the Pulumi runner deployments and drift checks are handed to ({@code
 *     RUNNER_FUNCTION_NAME})
 * @param usageRetentionDays how long usage is kept ({@code USAGE_RETENTION_DAYS}, as the usage
 *     function): the longest report range
 * @param runRetentionDays how long run and drift records are kept ({@code
 *     DEPLOY_RUN_RETENTION_DAYS}, as the runner)
 */
public record WizardProperties(
    Region region,
    String tableName,
    String tokenKeyId,
    String queueUrl,
    String tenantClaim,
    String allowedPrivateCidrs,
    int historyRetentionDays,
    Duration previewBudget,
    List<Cidr> webhookAllowedCidrs,
    boolean webhookLocalMode,
    String webhookTrustPem,
    String previewFunction,
    String usageFunction,
    String runnerFunction,
    int usageRetentionDays,
    int runRetentionDays) {

  /**
   * Reads and checks the configuration.
   *
   * @throws IllegalStateException naming every missing or invalid variable
   */
  public static WizardProperties read(Function<String, String> lookup) {
    ConfigCheck check = new ConfigCheck("the wizard function wizardApi", lookup);
    Region region = check.region();
    String table = check.required("nimbus.wizard.table-name", "TABLE_NAME");
    String key = check.required("nimbus.wizard.token-key-id", "TOKEN_KEY_ID");
    String queue = check.required("nimbus.wizard.queue-url", "DISCOVERY_QUEUE_URL");
    String claim = check.optional("nimbus.wizard.tenant-claim");
    String cidrs = check.optional("nimbus.wizard.allowed-private-cidrs");
    try {
      HostPolicy.fromAllowList(cidrs);
    } catch (IllegalArgumentException e) {
      check.problem(
          "WIZARD_ALLOWED_PRIVATE_CIDRS must be comma-separated CIDRs: " + e.getMessage());
    }
    int retention =
        check.integer(
            "nimbus.wizard.history-retention-days", "CI_HISTORY_RETENTION_DAYS", 400, 1, 36_500);
    // API Gateway ends an integration after 30 s; a preview must answer (or hand over) before.
    Duration budget =
        check.duration(
            "nimbus.wizard.preview-budget",
            "WIZARD_PREVIEW_BUDGET",
            Duration.ofSeconds(20),
            Duration.ofSeconds(1),
            Duration.ofSeconds(25));
    List<Cidr> webhookCidrs = new ArrayList<>();
    for (String c : check.optional("nimbus.wizard.webhook-allowed-cidrs").split(",")) {
      if (!c.isBlank()) {
        try {
          webhookCidrs.add(Cidr.parse(c));
        } catch (IllegalArgumentException e) {
          check.problem("WEBHOOK_ALLOWED_CIDRS must be comma-separated CIDRs: " + e.getMessage());
        }
      }
    }
    boolean local = check.bool("nimbus.wizard.local-mode", "NIMBUS_LOCAL_MODE", false);
    String trustPem = check.optional("nimbus.wizard.webhook-trust-pem");
    String previewFunction = check.optional("nimbus.wizard.preview-function");
    if (previewFunction.isEmpty()
        && !check.optional("nimbus.wizard.lambda-function-name").isEmpty()) {
      // Inside Lambda a thread cannot outlive the answer: the preview needs its second invocation.
      check.problem(
          "WIZARD_PREVIEW_FUNCTION is required in Lambda (the wizard function's own name)");
    }
    String usageFunction = check.required("nimbus.wizard.usage-function", "USAGE_FUNCTION_NAME");
    // Optional: a stack deployed without a runner image has none (deployment routes answer 409).
    String runnerFunction = check.optional("nimbus.wizard.runner-function");
    int usageRetention =
        check.integer("nimbus.wizard.usage-retention-days", "USAGE_RETENTION_DAYS", 400, 1, 36_500);
    int runRetention =
        check.integer(
            "nimbus.wizard.run-retention-days", "DEPLOY_RUN_RETENTION_DAYS", 400, 1, 36_500);
    check.orThrow();
    return new WizardProperties(
        region,
        table,
        key,
        queue,
        claim.isEmpty() ? "custom:tenant" : claim,
        cidrs,
        retention,
        budget,
        List.copyOf(webhookCidrs),
        local,
        trustPem,
        previewFunction,
        usageFunction,
        runnerFunction,
        usageRetention,
        runRetention);
  }
}
