package dev.nimbus.pulumi.runner;

import dev.nimbus.aws.lambda.FunctionApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * The Pulumi runner Lambda function: one function bean, {@code deploy} ({@link
 * PulumiRunnerFunctions}), run by Spring Cloud Function's {@code FunctionInvoker} in the runner's
 * container image. The configuration is imported explicitly instead of component-scanned, so test
 * configurations in this package never end up in the real application.
 */
@FunctionApplication
@EnableConfigurationProperties(PulumiRunnerProperties.class)
@Import({PulumiRunnerConfiguration.class, PulumiRunnerFunctions.class})
public class PulumiRunnerApplication {
  public static void main(String[] args) {
    SpringApplication.run(PulumiRunnerApplication.class, args);
  }
}
