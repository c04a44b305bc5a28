package dev.nimbus.usagefn;

import dev.nimbus.aws.metrics.Metrics;

/**
 * One Embedded Metric Format record per sample of a connection, dimension {@code Service=usage}:
 * the template's alarm watches {@value #SAMPLE_FAILED}.
 */
public final class SampleMetrics {
  public static final String SERVICE = "usage";
  public static final String SAMPLE_FAILED = "SampleFailed";

  private final Metrics metrics;

  public SampleMetrics(Metrics metrics) {
    this.metrics = metrics;
  }

  public void emit(SampleReport r) {
    metrics.emit(
        metrics
            .record()
            .dimension("Service", SERVICE)
            .count(SAMPLE_FAILED, r.succeeded() ? 0 : 1)
            .count("ProxmoxCalls", r.proxmoxCalls())
            .count("Cis", r.cis())
            .count("HourWrites", r.hourWrites())
            .count("RollupWrites", r.rollupWrites())
            .count("StateWrites", r.stateWrites())
            .count("DynamoDbWriteRequests", r.dynamoDbWriteRequests())
            .milliseconds("DurationMs", r.durationMs())
            .count("Problems", r.problems().size())
            .property("tenantId", r.connection() == null ? null : r.connection().tenantId())
            .property("connectionId", r.connection() == null ? null : r.connection().connectionId())
            .property("methods", String.join(",", r.methods())));
  }
}
