package dev.nimbus.discovery;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The discovery Lambda functions: {@code scheduleDiscovery} (EventBridge schedule: queue one run
 * per due connection) and {@code runDiscovery} (SQS: run discovery for one connection). One jar,
 * two functions, chosen by {@code SPRING_CLOUD_FUNCTION_DEFINITION}.
 */
@SpringBootApplication
public class DiscoveryApplication {
  public static void main(String[] args) {
    SpringApplication.run(DiscoveryApplication.class, args);
  }
}
