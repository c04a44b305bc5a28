package dev.nimbus.usagefn;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The usage sampler Lambda function {@code sampleUsage}: on demand (one connection, optionally a
 * range to backfill) and on a schedule (every scheduled connection).
 */
@SpringBootApplication
public class UsageApplication {
  public static void main(String[] args) {
    SpringApplication.run(UsageApplication.class, args);
  }
}
