package dev.nimbus.wizard.api;

import dev.nimbus.aws.lambda.FunctionApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Import;

/**
 * The connection wizard's HTTP API: one function, {@code wizardApi}, behind an API Gateway HTTP API
 * (payload format 2.0) with a JWT authorizer.
 */
@FunctionApplication
@Import({WizardConfiguration.class, WizardFunctions.class})
public class WizardApplication {
  public static void main(String[] args) {
    SpringApplication.run(WizardApplication.class, args);
  }
}
