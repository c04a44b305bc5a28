package dev.nimbus.pulumi.runner;

import com.pulumi.automation.AutomationException;
import com.pulumi.automation.LocalPulumiCommand;
import com.pulumi.automation.PulumiCommand;
import dev.nimbus.aws.AwsClients;
import dev.nimbus.cmdb.CiRepository;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.KmsEnvelopeTokenCipher;
import dev.nimbus.deployments.DeploymentRunStore;
import dev.nimbus.deployments.drift.DriftStore;
import dev.nimbus.deployments.dynamodb.DynamoDbDeploymentRunStore;
import dev.nimbus.deployments.dynamodb.DynamoDbDriftStore;
import dev.nimbus.infra.programs.CmdbInventory;
import dev.nimbus.infra.programs.ProgramCatalog;
import dev.nimbus.pulumi.runner.drift.DriftNotifier;
import dev.nimbus.pulumi.runner.drift.EventBridgeDriftNotifier;
import dev.nimbus.pulumi.runner.drift.QueuedDriftNotifier;
import dev.nimbus.webhooks.DeliveryQueueSender;
import dev.nimbus.webhooks.UrlPolicy;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the runner: settings checked first (a missing variable fails the start, not the first
 * deployment), AWS clients built once per Lambda instance by the project's one client factory, the
 * connection store that decrypts tokens, the CMDB the inventory is read from, the DynamoDB run
 * store and the Pulumi CLI found on the image's PATH.
 */
@Configuration(proxyBeanMethods = false)
public class PulumiRunnerConfiguration {

  @Bean
  RunnerSettings runnerSettings(PulumiRunnerProperties props) {
    return props.settings();
  }

  /** Built after the settings were checked (it takes them), so a bad start fails on those first. */
  @Bean(destroyMethod = "close")
  AwsClients awsClients(RunnerSettings settings) {
    return AwsClients.fromEnvironment();
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  ConnectionService connectionService(AwsClients aws, PulumiRunnerProperties p, Clock clock) {
    return ConnectionService.create(
        aws, new ConnectionsConfig(p.tableName(), p.tokenKeyId()), clock);
  }

  /**
   * The CLI on the PATH, created on first use and kept: creating it runs {@code pulumi version}.
   * Without a CLI the run fails with the Automation API's message in its record.
   */
  @Bean
  DeploymentService.CommandFactory pulumiCommand() {
    return new DeploymentService.CommandFactory() {
      private PulumiCommand command;

      @Override
      public synchronized PulumiCommand create() throws AutomationException {
        if (command == null) {
          command = LocalPulumiCommand.create();
        }
        return command;
      }
    };
  }

  @Bean
  CiRepository ciRepository(AwsClients aws, PulumiRunnerProperties p) {
    return new DynamoDbCiRepository(aws.dynamoDb(), p.tableName(), CmdbSettings.defaults());
  }

  @Bean
  DeploymentRunStore deploymentRunStore(AwsClients aws, PulumiRunnerProperties p, Clock clock) {
    return new DynamoDbDeploymentRunStore(
        aws.dynamoDb(), p.tableName(), Duration.ofDays(p.runRetentionDays()), clock);
  }

  @Bean
  DriftStore driftStore(AwsClients aws, PulumiRunnerProperties p) {
    return new DynamoDbDriftStore(
        aws.dynamoDb(), p.tableName(), Duration.ofDays(p.runRetentionDays()));
  }

  /**
   * Drift events go to the Nimbus bus and, for the tenant's webhooks, to the webhook delivery queue
   * (one message per webhook and event), from which the ci-events module's delivery function calls
   * the receivers. The subscriptions are only listed here: never saved (so no URL is checked) and
   * no signing secret is opened (the cipher is never asked to decrypt).
   */
  @Bean
  DriftNotifier driftNotifier(AwsClients aws, PulumiRunnerProperties p) {
    var subscriptions =
        new WebhookSubscriptionRepository(
            aws.dynamoDb(),
            p.tableName(),
            new KmsEnvelopeTokenCipher(aws.kms(), p.tokenKeyId()),
            UrlPolicy.of(false, List.of()));
    return DriftNotifier.both(
        new EventBridgeDriftNotifier(aws.eventBridge(), p.eventBusName()),
        new QueuedDriftNotifier(
            subscriptions, new DeliveryQueueSender(aws.sqs(), p.webhookDeliveryQueueUrl())));
  }

  @Bean
  DriftService driftService(
      ConnectionService connections,
      CiRepository cis,
      DeploymentRunStore runs,
      DriftStore store,
      DriftNotifier notifier,
      RunnerSettings settings,
      DeploymentService.CommandFactory commands,
      Clock clock) {
    return new DriftService(
        ProgramCatalog.standard(),
        ref -> connections.find(ref).isPresent(),
        connections::resolve,
        cis,
        runs,
        store,
        notifier,
        settings,
        commands,
        clock);
  }

  @Bean
  DeploymentService.InventorySource inventorySource(
      CiRepository cis, ConnectionService connections) {
    return new CmdbInventory(cis, ref -> connections.find(ref).isPresent())::inventory;
  }

  @Bean
  DeploymentService deploymentService(
      ConnectionService connections,
      DeploymentService.InventorySource inventories,
      DeploymentRunStore runs,
      RunnerSettings settings,
      DeploymentService.CommandFactory commands,
      Clock clock) {
    return new DeploymentService(
        ProgramCatalog.standard(),
        connections::resolve,
        inventories,
        runs,
        settings,
        commands,
        clock);
  }
}
