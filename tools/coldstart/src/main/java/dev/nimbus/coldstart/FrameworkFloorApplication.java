package dev.nimbus.coldstart;

import dev.nimbus.aws.lambda.FunctionApplication;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;

/**
 * The framework's floor for {@code bin/coldstart}: an application like every function's ({@link
 * FunctionApplication}, started by {@code FunctionInvoker} from a function's shaded jar) whose one
 * function answers a constant and touches no AWS client. Its cold start is what Spring Boot, Spring
 * Cloud Function and the AWS adapter cost before any of the project's beans, so a function's row
 * minus this row is the part its own code can still shorten.
 */
@FunctionApplication
public class FrameworkFloorApplication {

  /**
   * Reads the event (a schedule tick) through the adapter's JSON mapping and answers a constant.
   */
  @Bean
  public Function<Map<String, Object>, Map<String, Object>> frameworkFloor() {
    return event -> Map.of("floor", true, "fields", event.size());
  }
}
