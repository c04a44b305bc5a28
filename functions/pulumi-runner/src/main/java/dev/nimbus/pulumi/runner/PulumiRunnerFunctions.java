package dev.nimbus.pulumi.runner;

import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The runner's one function bean, {@code deploy}: takes a {@link RunnerRequest}, calls one {@link
 * DeploymentService} method and answers a {@link RunnerResponse}. A request refused before any
 * engine call becomes a 4xx answer with field errors; everything else is the run record.
 */
@Configuration(proxyBeanMethods = false)
public class PulumiRunnerFunctions {

  @Bean
  public Function<RunnerRequest, RunnerResponse> deploy(DeploymentService service) {
    return request -> {
      try {
        RunnerRequest.Kind kind = request.kind();
        return kind == RunnerRequest.Kind.STATUS
            ? RunnerResponse.found(
                service.status(
                    request.tenantId(), request.connectionId(), request.program(), request.runId()))
            : RunnerResponse.ran(service.run(request.deployment(kind)));
      } catch (RequestRejected e) {
        return RunnerResponse.rejected(e);
      }
    };
  }
}
