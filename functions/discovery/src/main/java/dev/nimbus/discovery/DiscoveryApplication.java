package dev.nimbus.discovery;

import dev.nimbus.aws.lambda.FunctionApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Import;

/**
 * The discovery Lambda functions: {@code scheduleDiscovery} (EventBridge schedule: queue one run
 * per due connection) and {@code runDiscovery} (SQS: run discovery for one connection). One jar,
 * two functions, chosen by {@code SPRING_CLOUD_FUNCTION_DEFINITION}.
 */
@FunctionApplication
@Import({DiscoveryConfiguration.class, DiscoveryFunctions.class})
public class DiscoveryApplication {
  public static void main(String[] args) {
    SpringApplication.run(DiscoveryApplication.class, args);
  }
}
