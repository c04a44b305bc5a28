package dev.nimbus.pulumi.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the runner function, bound from {@code nimbus.pulumi.*}; application.properties
 * maps the Lambda environment onto it (variable names in brackets).
 *
 * @param tableName the Nimbus table: connections, CIs, run records and CI links ({@code
 *     TABLE_NAME})
 * @param tokenKeyId the token key (alias) the connection store is configured with ({@code
 *     TOKEN_KEY_ID}); the runner only decrypts, and KMS finds the key from the ciphertext
 * @param stateBucket the S3 bucket of the Pulumi state backend ({@code PULUMI_STATE_BUCKET})
 * @param statePrefix the key prefix of all stacks in it ({@code PULUMI_STATE_PREFIX})
 * @param kmsKey the KMS key (alias or ARN) of the {@code awskms://} secrets provider, a key of its
 *     own ({@code PULUMI_KMS_KEY})
 * @param region the AWS region of bucket and key ({@code AWS_REGION}, set by Lambda)
 * @param pulumiHome the CLI's home, under /tmp on Lambda ({@code PULUMI_HOME})
 * @param workRoot where each run's work directory is created and deleted ({@code PULUMI_WORK_ROOT})
 * @param forwarderPort the loopback port of the forwarder the provider talks to; fixed, because the
 *     stack's state keeps the provider's endpoint ({@code PULUMI_FORWARDER_PORT})
 * @param runRetentionDays days a run record (and a resolved drift record) is kept before the
 *     table's TTL removes it ({@code DEPLOY_RUN_RETENTION_DAYS})
 * @param eventBusName the Nimbus EventBridge bus drift events go to ({@code EVENT_BUS_NAME})
 * @param webhookDeliveryQueueUrl the webhook delivery queue drift events for the tenant's webhooks
 *     are queued on ({@code WEBHOOK_DELIVERY_QUEUE_URL}); the ci-events module's delivery function
 *     makes the calls
 */
@ConfigurationProperties("nimbus.pulumi")
public record PulumiRunnerProperties(
    String tableName,
    String tokenKeyId,
    String stateBucket,
    @DefaultValue("stacks") String statePrefix,
    String kmsKey,
    String region,
    @DefaultValue("/tmp/pulumi-home") Path pulumiHome,
    @DefaultValue("/tmp/nimbus-runs") Path workRoot,
    @DefaultValue("18006") int forwarderPort,
    @DefaultValue("400") int runRetentionDays,
    String eventBusName,
    String webhookDeliveryQueueUrl) {

  /**
   * The runner's settings; fails at start-up, naming every missing variable at once, rather than on
   * the first deployment.
   */
  public RunnerSettings settings() {
    List<String> missing = new ArrayList<>();
    require(missing, tableName, "TABLE_NAME");
    require(missing, tokenKeyId, "TOKEN_KEY_ID");
    require(missing, stateBucket, "PULUMI_STATE_BUCKET");
    require(missing, kmsKey, "PULUMI_KMS_KEY");
    require(missing, region, "AWS_REGION");
    require(missing, eventBusName, "EVENT_BUS_NAME");
    require(missing, webhookDeliveryQueueUrl, "WEBHOOK_DELIVERY_QUEUE_URL");
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "the Pulumi runner is not configured: set "
              + String.join(", ", missing)
              + " (nimbus.pulumi.* in application.properties)");
    }
    if (forwarderPort < 1 || forwarderPort > 65535) {
      throw new IllegalStateException("PULUMI_FORWARDER_PORT must be a port, 1..65535");
    }
    if (runRetentionDays < 1) {
      throw new IllegalStateException("DEPLOY_RUN_RETENTION_DAYS must be 1 or more");
    }
    return new RunnerSettings(
        stateBucket, statePrefix, region, kmsKey, pulumiHome, workRoot, forwarderPort);
  }

  private static void require(List<String> missing, String value, String variable) {
    if (value == null || value.isBlank()) {
      missing.add(variable);
    }
  }
}
