package dev.nimbus.wizard.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The connection wizard's HTTP API: one function, {@code wizardApi}, behind an API Gateway HTTP API
 * (payload format 2.0) with a JWT authorizer.
 */
@SpringBootApplication
public class WizardApplication {
  public static void main(String[] args) {
    SpringApplication.run(WizardApplication.class, args);
  }
}
