package dev.nimbus.usagefn;

import dev.nimbus.aws.lambda.FunctionApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Import;

/**
 * The usage sampler Lambda function {@code sampleUsage}: on demand (one connection, optionally a
 * range to backfill) and on a schedule (every scheduled connection).
 */
@FunctionApplication
@Import({UsageConfiguration.class, UsageFunctions.class})
public class UsageApplication {
  public static void main(String[] args) {
    SpringApplication.run(UsageApplication.class, args);
  }
}
