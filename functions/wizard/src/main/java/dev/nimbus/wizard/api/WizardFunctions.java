package dev.nimbus.wizard.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The function bean: an API Gateway HTTP API (payload 2.0) event in, its response out. */
@Configuration(proxyBeanMethods = false)
public class WizardFunctions {
  @Bean
  public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> wizardApi(WizardApi api) {
    return api::handle;
  }
}
