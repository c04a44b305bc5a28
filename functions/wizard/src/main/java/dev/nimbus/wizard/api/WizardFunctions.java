package dev.nimbus.wizard.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.nimbus.wizard.PreviewLauncher;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The function bean: an API Gateway HTTP API (payload 2.0) event in, its response out; or the
 * wizard's own asynchronous self-invocation that runs a started preview, recognised by a {@code
 * routeKey} no API Gateway route can produce ({@link PreviewLauncher#ROUTE_KEY}).
 */
@Configuration(proxyBeanMethods = false)
public class WizardFunctions {
  @Bean
  public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> wizardApi(
      WizardApi api, Previews previews) {
    return event ->
        PreviewLauncher.ROUTE_KEY.equals(event.getRouteKey())
            ? previews.handleJob(event)
            : api.handle(event);
  }
}
