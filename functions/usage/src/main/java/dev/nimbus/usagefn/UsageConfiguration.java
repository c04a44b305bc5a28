package dev.nimbus.usagefn;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.aws.SnapStartPriming;
import dev.nimbus.aws.metrics.Metrics;
import dev.nimbus.usage.dynamodb.DynamoDbUsageRepository;
import java.time.Clock;
import java.util.List;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** Wires the usage function's services; AWS clients once per instance, by AwsClients. */
@Configuration(proxyBeanMethods = false)
public class UsageConfiguration {

  @Bean
  UsageProperties usageProperties(Environment environment) {
    return UsageProperties.read(environment::getProperty);
  }

  @Bean(destroyMethod = "close")
  AwsClients awsClients(UsageProperties p) {
    return AwsClients.create(p.region(), DefaultCredentialsProvider.builder().build(), null);
  }

  /**
   * SnapStart priming: before the snapshot, the SDK's request path, TLS and the JSON mapping of the
   * function's input and answer run once, offline (see {@link SnapStartPriming}), so the first
   * sample after a restore does not pay for loading them.
   */
  @Bean
  SnapStartPriming snapStartPriming(AwsClients aws, JsonMapper json) {
    return SnapStartPriming.register(
        aws,
        () -> json.fromJson("{\"schedule\":true}", UsageInvocation.class),
        () -> json.toJson(new UsageFunctions.UsageAnswer(List.of(), List.of())));
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  SampleMetrics sampleMetrics(Environment environment, Clock clock) {
    return new SampleMetrics(
        Metrics.toStdout(
            environment.getProperty(Metrics.NAMESPACE_VARIABLE, Metrics.DEFAULT_NAMESPACE), clock));
  }

  @Bean
  DynamoDbUsageRepository usageRepository(AwsClients aws, UsageProperties p) {
    return new DynamoDbUsageRepository(aws.dynamoDb(), p.tableName());
  }

  @Bean
  UsageRunner usageRunner(
      AwsClients aws, UsageProperties p, DynamoDbUsageRepository repository, Clock clock) {
    return UsageRunner.create(aws, p, repository, clock);
  }
}
