package dev.nimbus.usagefn;

import dev.nimbus.aws.lambda.LogContext;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.TimeRange;
import dev.nimbus.usage.FieldError;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The function bean: parse, call one service method, shape the answer. */
@Configuration(proxyBeanMethods = false)
public class UsageFunctions {

  /** The answer: one report per sampled connection, or the field errors of a refused request. */
  public record UsageAnswer(List<SampleReport> samples, List<FieldError> errors) {}

  @Bean
  public Function<UsageInvocation, UsageAnswer> sampleUsage(
      UsageRunner runner, SampleMetrics metrics) {
    return in -> {
      if (in != null && Boolean.TRUE.equals(in.schedule())) {
        List<SampleReport> reports = runner.sampleScheduled();
        reports.forEach(metrics::emit);
        return new UsageAnswer(reports, List.of());
      }
      List<FieldError> errors =
          in == null ? List.of(new FieldError("body", "is required")) : runner.validate(in);
      if (!errors.isEmpty()) {
        return new UsageAnswer(List.of(), errors);
      }
      ConnectionRef ref = new ConnectionRef(in.tenantId(), in.connectionId());
      TimeRange range =
          in.from() == null
              ? null
              : new TimeRange(Instant.parse(in.from()), Instant.parse(in.to()));
      try (LogContext.Scope scope = LogContext.forRun(ref.tenantId(), ref.connectionId(), null)) {
        SampleReport report = runner.sample(ref, range);
        metrics.emit(report);
        return new UsageAnswer(List.of(report), List.of());
      }
    };
  }
}
