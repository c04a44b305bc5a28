package dev.nimbus.events;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.nimbus.aws.AwsClients;
import dev.nimbus.aws.SnapStartPriming;
import dev.nimbus.connections.KmsEnvelopeTokenCipher;
import dev.nimbus.connections.TokenCipher;
import dev.nimbus.events.webhook.WebhookDispatcher;
import dev.nimbus.webhooks.Cidr;
import dev.nimbus.webhooks.HttpsPoster;
import dev.nimbus.webhooks.UrlPolicy;
import dev.nimbus.webhooks.WebhookFailureRepository;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import dev.nimbus.webhooks.WebhookTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The ci-events Lambda application: wires the AWS clients (built once per process by {@link
 * AwsClients}), the services and two function beans, {@code ciEvents} (the stream handler) and
 * {@code replayWebhooks}. Run by Spring Cloud Function's {@code FunctionInvoker}.
 */
@SpringBootApplication
@EnableConfigurationProperties(CiEventsProperties.class)
public class CiEventsApplication {

  public static void main(String[] args) {
    SpringApplication.run(CiEventsApplication.class, args);
  }

  @Bean(destroyMethod = "close")
  AwsClients awsClients(CiEventsProperties props) {
    props.requireComplete();
    if (props.endpoint().isBlank() && props.region().isBlank()) {
      return AwsClients.fromEnvironment();
    }
    String region =
        props.region().isBlank()
            ? System.getenv().getOrDefault("AWS_REGION", "eu-central-1")
            : props.region();
    return AwsClients.create(
        Region.of(region),
        DefaultCredentialsProvider.builder().build(),
        props.endpoint().isBlank() ? null : URI.create(props.endpoint()));
  }

  @Bean(destroyMethod = "close")
  DynamoDbClient dynamoDb(AwsClients clients) {
    return clients.dynamoDb();
  }

  @Bean(destroyMethod = "close")
  EventBridgeClient eventBridge(AwsClients clients) {
    return clients.eventBridge();
  }

  @Bean(destroyMethod = "close")
  KmsClient kms(AwsClients clients) {
    return clients.kms();
  }

  /**
   * SnapStart priming: before the snapshot, the SDK's request path, TLS and the JSON mapping of a
   * stream batch run once, offline (see {@link SnapStartPriming}).
   */
  @Bean
  SnapStartPriming snapStartPriming(AwsClients clients, JsonMapper json) {
    return SnapStartPriming.register(
        clients,
        () -> json.toJson(json.fromJson("{\"Records\":[]}", DynamodbEvent.class)),
        () -> json.toJson(new StreamsEventResponse(List.of())));
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  TokenCipher tokenCipher(KmsClient kms, CiEventsProperties props) {
    return new KmsEnvelopeTokenCipher(kms, props.tokenKeyId());
  }

  @Bean
  UrlPolicy urlPolicy(CiEventsProperties props) {
    return UrlPolicy.of(
        props.localMode(), props.webhookAllowedCidrs().stream().map(Cidr::parse).toList());
  }

  @Bean
  WebhookSubscriptionRepository webhookSubscriptions(
      DynamoDbClient dynamo, CiEventsProperties props, TokenCipher cipher, UrlPolicy policy) {
    return new WebhookSubscriptionRepository(dynamo, props.tableName(), cipher, policy);
  }

  @Bean
  WebhookFailureRepository webhookFailures(DynamoDbClient dynamo, CiEventsProperties props) {
    return new WebhookFailureRepository(dynamo, props.tableName(), props.failureRetention());
  }

  @Bean
  WebhookDispatcher webhookDispatcher(
      WebhookSubscriptionRepository subscriptions,
      WebhookFailureRepository failures,
      UrlPolicy policy,
      CiEventsProperties props,
      Clock clock) {
    SSLContext tls =
        props.webhookTrustPem().isBlank()
            ? WebhookTls.jvmDefault()
            : WebhookTls.trusting(Path.of(props.webhookTrustPem()));
    return new WebhookDispatcher(
        subscriptions,
        failures,
        policy,
        new HttpsPoster(tls, props.webhookConnectTimeout(), props.webhookReadTimeout()),
        Backoff.of(props.webhookMaxAttempts(), props.webhookBackoff(), props.webhookMaxBackoff()),
        clock);
  }

  @Bean
  EventBusPublisher eventBusPublisher(EventBridgeClient eventBridge, CiEventsProperties props) {
    return new EventBusPublisher(
        eventBridge,
        props.eventBusName(),
        Backoff.of(props.publishMaxAttempts(), props.publishBackoff(), Duration.ofSeconds(2)));
  }

  @Bean
  CiEventsService ciEventsService(EventBusPublisher publisher, WebhookDispatcher webhooks) {
    return new CiEventsService(new CiChangeEventFactory(), publisher, webhooks);
  }

  /** The stream handler. */
  @Bean
  CiEventsFunction ciEvents(CiEventsService service) {
    return new CiEventsFunction(service);
  }

  /** Replays kept webhook failures. */
  @Bean
  WebhookReplayFunction replayWebhooks(WebhookDispatcher dispatcher) {
    return new WebhookReplayFunction(dispatcher);
  }
}
