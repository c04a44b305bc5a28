package dev.nimbus.events;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.nimbus.aws.AwsClients;
import dev.nimbus.aws.SnapStartPriming;
import dev.nimbus.aws.lambda.FunctionApplication;
import dev.nimbus.aws.metrics.Metrics;
import dev.nimbus.connections.KmsEnvelopeTokenCipher;
import dev.nimbus.connections.TokenCipher;
import dev.nimbus.events.webhook.DeliveryQueue;
import dev.nimbus.events.webhook.WebhookDeliveryService;
import dev.nimbus.events.webhook.WebhookReplayer;
import dev.nimbus.events.webhook.WebhookSender;
import dev.nimbus.netpolicy.Cidr;
import dev.nimbus.webhooks.HttpsPoster;
import dev.nimbus.webhooks.UrlPolicy;
import dev.nimbus.webhooks.WebhookFailureRepository;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import dev.nimbus.webhooks.WebhookTls;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.springframework.boot.SpringApplication;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The ci-events Lambda application: wires the AWS clients (built once per process by {@link
 * AwsClients}), the services and three function beans: {@code ciEvents} (the stream handler, which
 * publishes and queues deliveries), {@code deliverWebhooks} (the delivery queue's handler) and
 * {@code replayWebhooks}. Run by Spring Cloud Function's {@code FunctionInvoker}.
 */
@FunctionApplication
public class CiEventsApplication {

  public static void main(String[] args) {
    SpringApplication.run(CiEventsApplication.class, args);
  }

  /** Read and checked once, before any client is built: see {@link CiEventsProperties#read}. */
  @Bean
  CiEventsProperties ciEventsProperties(Environment environment) {
    return CiEventsProperties.read(
        environment::getProperty, environment.getProperty("spring.cloud.function.definition"));
  }

  /**
   * The container's AWS clients; endpoints come from the SDK's own resolution ({@code
   * AWS_ENDPOINT_URL}, {@code aws.endpointUrl}), which the local run and the tests point at the
   * emulator.
   */
  @Bean(destroyMethod = "close")
  AwsClients awsClients(CiEventsProperties props) {
    return AwsClients.create(props.region(), DefaultCredentialsProvider.builder().build(), null);
  }

  @Bean
  DynamoDbClient dynamoDb(AwsClients clients) {
    return clients.dynamoDb();
  }

  @Bean
  EventBridgeClient eventBridge(AwsClients clients) {
    return clients.eventBridge();
  }

  @Bean
  KmsClient kms(AwsClients clients) {
    return clients.kms();
  }

  @Bean
  SqsClient sqs(AwsClients clients) {
    return clients.sqs();
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
        () -> json.toJson(new StreamsEventResponse(List.of())),
        () -> json.toJson(json.fromJson("{\"Records\":[]}", SQSEvent.class)),
        () -> json.toJson(new SQSBatchResponse(List.of())));
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

  /** One signed POST, bounded by the whole-call deadline ({@code WEBHOOK_DEADLINE}). */
  @Bean
  WebhookSender webhookSender(CiEventsProperties props, Clock clock) {
    SSLContext tls =
        props.webhookTrustPem().isBlank()
            ? WebhookTls.jvmDefault()
            : WebhookTls.trusting(Path.of(props.webhookTrustPem()));
    return new WebhookSender(
        new HttpsPoster(
            tls,
            props.webhookConnectTimeout(),
            props.webhookReadTimeout(),
            props.webhookDeadline()),
        clock);
  }

  @Bean
  DeliveryQueue deliveryQueue(
      WebhookSubscriptionRepository subscriptions, SqsClient sqs, CiEventsProperties props) {
    return new DeliveryQueue(subscriptions::list, sqs, props.webhookDeliveryQueueUrl());
  }

  @Bean
  WebhookDeliveryService webhookDeliveryService(
      WebhookSubscriptionRepository subscriptions,
      WebhookFailureRepository failures,
      UrlPolicy policy,
      WebhookSender sender,
      SqsClient sqs,
      CiEventsProperties props,
      Clock clock) {
    return new WebhookDeliveryService(
        subscriptions,
        failures,
        policy,
        sender,
        sqs,
        props.webhookDeliveryQueueUrl(),
        new WebhookDeliveryService.RetryPolicy(
            props.webhookMaxAttempts(), props.webhookRetryDelay(), props.webhookMaxRetryDelay()),
        clock);
  }

  @Bean
  WebhookReplayer webhookReplayer(
      WebhookSubscriptionRepository subscriptions,
      WebhookFailureRepository failures,
      UrlPolicy policy,
      WebhookSender sender,
      CiEventsProperties props,
      Clock clock) {
    return new WebhookReplayer(
        subscriptions,
        failures,
        policy,
        sender,
        Backoff.of(
            props.webhookReplayAttempts(), props.webhookBackoff(), props.webhookMaxBackoff()),
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
  CiEventsService ciEventsService(EventBusPublisher publisher, DeliveryQueue webhooks) {
    return new CiEventsService(new CiChangeEventFactory(), publisher, webhooks);
  }

  /** The stream handler. */
  @Bean
  CiEventsFunction ciEvents(CiEventsService service, Metrics metrics) {
    return new CiEventsFunction(service, metrics);
  }

  /** Embedded Metric Format records on stdout, under the stack's namespace. */
  @Bean
  Metrics metrics(Environment environment, Clock clock) {
    return Metrics.toStdout(
        environment.getProperty(Metrics.NAMESPACE_VARIABLE, Metrics.DEFAULT_NAMESPACE), clock);
  }

  /** Delivers queued webhook deliveries. */
  @Bean
  DeliverWebhooksFunction deliverWebhooks(WebhookDeliveryService service, Metrics metrics) {
    return new DeliverWebhooksFunction(service, metrics);
  }

  /** Replays kept webhook failures. */
  @Bean
  WebhookReplayFunction replayWebhooks(WebhookReplayer replayer) {
    return new WebhookReplayFunction(replayer);
  }
}
