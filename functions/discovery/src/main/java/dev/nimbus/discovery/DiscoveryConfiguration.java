package dev.nimbus.discovery;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.nimbus.aws.AwsClients;
import dev.nimbus.aws.SnapStartPriming;
import dev.nimbus.aws.metrics.Metrics;
import dev.nimbus.cmdb.CmdbService;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.ConnectionDirectory;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.proxmox.provider.DiscoveryOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Wires the services of the discovery functions. AWS clients are built once per Lambda instance
 * (outside the handler) by the project's one client factory.
 */
@Configuration(proxyBeanMethods = false)
public class DiscoveryConfiguration {

  /** Read and checked once, before any client is built: see {@link DiscoveryProperties#read}. */
  @Bean
  DiscoveryProperties discoveryProperties(Environment environment) {
    return DiscoveryProperties.read(
        environment::getProperty, environment.getProperty("spring.cloud.function.definition"));
  }

  @Bean(destroyMethod = "close")
  AwsClients awsClients(DiscoveryProperties p) {
    return AwsClients.create(p.region(), DefaultCredentialsProvider.builder().build(), null);
  }

  /**
   * SnapStart priming: before the snapshot, the SDK's request path, TLS and the JSON mapping of
   * both functions' events run once, offline (see {@link SnapStartPriming}), so the first event
   * after a restore does not pay for loading them.
   */
  @Bean
  SnapStartPriming snapStartPriming(AwsClients aws, JsonMapper json) {
    return SnapStartPriming.register(
        aws,
        () -> json.fromJson(PRIMING_SCHEDULED_EVENT, ScheduledEvent.class),
        () -> json.toJson(json.fromJson("{\"Records\":[]}", SQSEvent.class)),
        () -> json.toJson(new SQSBatchResponse(List.of())));
  }

  private static final String PRIMING_SCHEDULED_EVENT =
      "{\"version\":\"0\",\"id\":\"priming\",\"detail-type\":\"Scheduled Event\","
          + "\"source\":\"aws.events\",\"time\":\"2026-01-01T00:00:00Z\",\"detail\":{}}";

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** One Embedded Metric Format record per run, on stdout, under the stack's namespace. */
  @Bean
  RunMetrics runMetrics(Environment environment, Clock clock) {
    return new RunMetrics(
        Metrics.toStdout(
            environment.getProperty(Metrics.NAMESPACE_VARIABLE, Metrics.DEFAULT_NAMESPACE), clock));
  }

  @Bean
  ConnectionService connectionService(AwsClients aws, DiscoveryProperties p, Clock clock) {
    return ConnectionService.create(
        aws, new ConnectionsConfig(p.tableName(), p.tokenKeyId()), clock);
  }

  @Bean
  CmdbService cmdbService(AwsClients aws, DiscoveryProperties p, Clock clock) {
    CmdbSettings settings =
        CmdbSettings.defaults().withHistoryRetention(Duration.ofDays(p.historyRetentionDays()));
    return new CmdbService(
        new DynamoDbCiRepository(aws.dynamoDb(), p.tableName(), settings), settings, clock);
  }

  @Bean
  DiscoveryRunner discoveryRunner(
      ConnectionService connections, CmdbService cmdb, DiscoveryProperties p, Clock clock) {
    return new DiscoveryRunner(
        connections,
        cmdb,
        new DiscoveryOptions(p.sweepRuns(), p.guestAgent(), true),
        p.maxConcurrentRequests(),
        p.runBudget(),
        clock);
  }

  @Bean
  DiscoveryScheduler discoveryScheduler(
      AwsClients aws, ConnectionService connections, DiscoveryProperties p, Clock clock) {
    return new DiscoveryScheduler(
        new ConnectionDirectory(aws.dynamoDb(), p.tableName()),
        connections,
        aws.sqs(),
        p.queueUrl(),
        clock);
  }
}
