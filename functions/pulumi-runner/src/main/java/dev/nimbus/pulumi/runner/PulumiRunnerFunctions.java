package dev.nimbus.pulumi.runner;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The runner's function beans. {@code deploy} takes a {@link RunnerRequest}, calls one {@link
 * DeploymentService} or {@link DriftService} method and answers a {@link RunnerResponse}; a request
 * refused before any engine call becomes a 4xx answer with field errors. {@code
 * driftAfterDiscovery} takes the table stream's discovery run records and checks drift on each
 * connection that has stacks ({@link DriftAfterDiscovery}).
 */
@Configuration(proxyBeanMethods = false)
public class PulumiRunnerFunctions {

  @Bean
  public Function<RunnerRequest, RunnerResponse> deploy(
      DeploymentService service, DriftService drift) {
    return request -> {
      try {
        RunnerRequest.Kind kind = request.kind();
        return switch (kind) {
          case STATUS ->
              RunnerResponse.found(
                  service.status(
                      request.tenantId(),
                      request.connectionId(),
                      request.program(),
                      request.runId()));
          case DRIFT ->
              RunnerResponse.checked(
                  drift.check(request.tenantId(), request.connectionId(), request.program()));
          default -> RunnerResponse.ran(service.run(request.deployment(kind)));
        };
      } catch (RequestRejected e) {
        return RunnerResponse.rejected(e);
      }
    };
  }

  @Bean
  public Function<DynamodbEvent, StreamsEventResponse> driftAfterDiscovery(DriftService drift) {
    return new DriftAfterDiscovery(drift);
  }
}
