package dev.nimbus.wizard.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The connection wizard's HTTP API: one function, {@code wizardApi}, behind an API Gateway HTTP API
 * (payload format 2.0) with a JWT authorizer.
 */
@SpringBootApplication
@EnableConfigurationProperties(WizardProperties.class)
public class WizardApplication {
  public static void main(String[] args) {
    SpringApplication.run(WizardApplication.class, args);
  }
}
