package dev.nimbus.wizard.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.nimbus.aws.AwsClients;
import dev.nimbus.aws.SnapStartPriming;
import dev.nimbus.cmdb.CiRepository;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.KmsEnvelopeTokenCipher;
import dev.nimbus.connections.PendingTokens;
import dev.nimbus.deployments.dynamodb.DynamoDbDeploymentRunStore;
import dev.nimbus.deployments.dynamodb.DynamoDbDriftStore;
import dev.nimbus.infra.programs.CmdbInventory;
import dev.nimbus.infra.programs.ProgramCatalog;
import dev.nimbus.usage.CmdbCiDirectory;
import dev.nimbus.usage.ShowbackService;
import dev.nimbus.usage.dynamodb.DynamoDbUsageRepository;
import dev.nimbus.usage.dynamodb.UsageSampleLeases;
import dev.nimbus.webhooks.HttpsPoster;
import dev.nimbus.webhooks.UrlPolicy;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import dev.nimbus.webhooks.WebhookTls;
import dev.nimbus.wizard.CiBrowser;
import dev.nimbus.wizard.ConnectionAdmin;
import dev.nimbus.wizard.ConnectionWizard;
import dev.nimbus.wizard.DeploymentDesk;
import dev.nimbus.wizard.DriftDesk;
import dev.nimbus.wizard.FunctionHandoff;
import dev.nimbus.wizard.HostPolicy;
import dev.nimbus.wizard.PreviewJobs;
import dev.nimbus.wizard.PreviewLauncher;
import dev.nimbus.wizard.RunQueue;
import dev.nimbus.wizard.UsageDesk;
import dev.nimbus.wizard.WebhookAdmin;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** Wires the wizard's services; AWS clients come from the project's one client factory. */
@Configuration(proxyBeanMethods = false)
public class WizardConfiguration {

  /** Read and checked once, before any client is built: see {@link WizardProperties#read}. */
  @Bean
  WizardProperties wizardProperties(Environment environment) {
    return WizardProperties.read(environment::getProperty);
  }

  @Bean(destroyMethod = "close")
  AwsClients awsClients(WizardProperties p) {
    return AwsClients.create(p.region(), DefaultCredentialsProvider.builder().build(), null);
  }

  /**
   * SnapStart priming: before the snapshot, the SDK's request path, TLS and the JSON mapping of an
   * HTTP API request and answer run once, offline (see {@link SnapStartPriming}), so the first
   * request after a restore does not pay for loading them. No route runs: a route would read the
   * table.
   */
  @Bean
  SnapStartPriming snapStartPriming(AwsClients aws, JsonMapper json) {
    return SnapStartPriming.register(
        aws,
        () -> json.fromJson(PRIMING_REQUEST, APIGatewayV2HTTPEvent.class),
        () ->
            json.toJson(
                APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(200)
                    .withHeaders(java.util.Map.of("Content-Type", "application/json"))
                    .withBody("{}")
                    .build()));
  }

  private static final String PRIMING_REQUEST =
      "{\"version\":\"2.0\",\"routeKey\":\"ANY /api/{proxy+}\",\"rawPath\":\"/api/connections\","
          + "\"headers\":{\"accept\":\"application/json\"},\"requestContext\":{\"authorizer\":"
          + "{\"jwt\":{\"claims\":{\"sub\":\"priming\"}}},\"http\":{\"method\":\"GET\","
          + "\"path\":\"/api/connections\"},\"requestId\":\"priming\"},\"isBase64Encoded\":false}";

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  ConnectionService connectionService(AwsClients aws, WizardProperties p, Clock clock) {
    return ConnectionService.create(
        aws, new ConnectionsConfig(p.tableName(), p.tokenKeyId()), clock);
  }

  @Bean
  PendingTokens pendingTokens(AwsClients aws, WizardProperties p, Clock clock) {
    return new PendingTokens(
        aws.dynamoDb(),
        p.tableName(),
        new KmsEnvelopeTokenCipher(aws.kms(), p.tokenKeyId()),
        clock);
  }

  @Bean
  HostPolicy hostPolicy(WizardProperties p) {
    return HostPolicy.fromAllowList(p.allowedPrivateCidrs());
  }

  @Bean
  ConnectionWizard connectionWizard(
      HostPolicy policy, PendingTokens pending, WizardProperties p, Clock clock) {
    return new ConnectionWizard(policy, pending, clock, Duration.ofSeconds(10), p.previewBudget());
  }

  @Bean
  CiRepository ciRepository(AwsClients aws, WizardProperties p) {
    CmdbSettings settings =
        CmdbSettings.defaults().withHistoryRetention(Duration.ofDays(p.historyRetentionDays()));
    return new DynamoDbCiRepository(aws.dynamoDb(), p.tableName(), settings);
  }

  @Bean
  ConnectionAdmin connectionAdmin(
      ConnectionService connections,
      PendingTokens pending,
      ConnectionWizard wizard,
      HostPolicy policy,
      AwsClients aws,
      WizardProperties p,
      CiRepository cis,
      Clock clock) {
    return new ConnectionAdmin(
        connections, pending, wizard, policy, new RunQueue(aws.sqs(), p.queueUrl()), cis, clock);
  }

  @Bean
  CiBrowser ciBrowser(CiRepository cis, ConnectionService connections) {
    return new CiBrowser(cis, connections);
  }

  /**
   * Webhook subscriptions through shared/webhooks: the same URL policy (and allow-list, {@code
   * WEBHOOK_ALLOWED_CIDRS}) the ci-events function applies before every delivery, and the same
   * HTTPS poster for the test delivery.
   */
  @Bean
  WebhookAdmin webhookAdmin(AwsClients aws, WizardProperties p, Clock clock) {
    UrlPolicy policy = UrlPolicy.of(p.webhookLocalMode(), p.webhookAllowedCidrs());
    SSLContext tls =
        p.webhookTrustPem().isEmpty()
            ? WebhookTls.jvmDefault()
            : WebhookTls.trusting(Path.of(p.webhookTrustPem()));
    return new WebhookAdmin(
        new WebhookSubscriptionRepository(
            aws.dynamoDb(),
            p.tableName(),
            new KmsEnvelopeTokenCipher(aws.kms(), p.tokenKeyId()),
            policy),
        policy,
        new HttpsPoster(tls, Duration.ofSeconds(5), Duration.ofSeconds(10)),
        clock);
  }

  /**
   * Start-and-poll previews: the request KMS-encrypted in the table (purpose {@code
   * preview-request}), the second half in an asynchronous invocation of this function ({@code
   * WIZARD_PREVIEW_FUNCTION}), or in a thread of this process when that is empty (bin/wizard,
   * tests; refused at start-up inside Lambda).
   */
  @Bean
  Previews previews(ConnectionWizard wizard, AwsClients aws, WizardProperties p, Clock clock) {
    PreviewJobs jobs =
        new PreviewJobs(
            aws.dynamoDb(),
            p.tableName(),
            new KmsEnvelopeTokenCipher(aws.kms(), p.tokenKeyId()),
            clock);
    PreviewLauncher launcher =
        p.previewFunction().isEmpty()
            ? null
            : PreviewLauncher.lambda(aws.lambda(), p.previewFunction());
    return new Previews(wizard, jobs, launcher);
  }

  /**
   * Usage and cost through shared/usage; "sample now" handed to the usage function (asynchronous
   * invoke). The CMDB's facts are read per request: a long-lived container must not price with
   * yesterday's pools.
   */
  @Bean
  UsageDesk usageDesk(
      AwsClients aws,
      WizardProperties p,
      ConnectionService connections,
      CiRepository cis,
      Clock clock) {
    Duration retention = Duration.ofDays(p.usageRetentionDays());
    ShowbackService showback =
        new ShowbackService(
            new DynamoDbUsageRepository(aws.dynamoDb(), p.tableName()),
            ref -> connections.find(ref).isPresent(),
            ref -> new CmdbCiDirectory(cis).facts(ref),
            retention,
            clock);
    return new UsageDesk(
        ref -> connections.find(ref).isPresent(),
        showback,
        new FunctionHandoff(aws.lambda(), p.usageFunction()),
        new UsageSampleLeases(aws.dynamoDb(), p.tableName(), clock)::runningUntil,
        retention,
        clock);
  }

  /**
   * Deployments: inputs checked here against the CMDB, the run handed to the Pulumi runner
   * (asynchronous invoke); run records read from the table. No Pulumi CLI runs in this function.
   */
  @Bean
  DeploymentDesk deploymentDesk(
      AwsClients aws,
      WizardProperties p,
      ConnectionService connections,
      CiRepository cis,
      Clock clock) {
    return new DeploymentDesk(
        ProgramCatalog.standard(),
        ref -> connections.find(ref).isPresent(),
        new CmdbInventory(cis, ref -> connections.find(ref).isPresent()),
        new DynamoDbDeploymentRunStore(
            aws.dynamoDb(), p.tableName(), Duration.ofDays(p.runRetentionDays()), clock),
        new FunctionHandoff(aws.lambda(), p.runnerFunction()),
        clock);
  }

  @Bean
  DriftDesk driftDesk(AwsClients aws, WizardProperties p, ConnectionService connections) {
    return new DriftDesk(
        ProgramCatalog.standard(),
        ref -> connections.find(ref).isPresent(),
        new DynamoDbDriftStore(
            aws.dynamoDb(), p.tableName(), Duration.ofDays(p.runRetentionDays())),
        new FunctionHandoff(aws.lambda(), p.runnerFunction()));
  }

  @Bean
  WizardApi wizardApiRoutes(
      ConnectionWizard wizard,
      ConnectionAdmin admin,
      CiBrowser cis,
      WebhookAdmin webhooks,
      UsageDesk usage,
      DeploymentDesk deployments,
      DriftDesk drift,
      WizardProperties p,
      Previews previews) {
    return new WizardApi(
        wizard, admin, cis, webhooks, usage, deployments, drift, p.tenantClaim(), previews);
  }
}
