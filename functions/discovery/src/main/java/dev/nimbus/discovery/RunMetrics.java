package dev.nimbus.discovery;

import dev.nimbus.aws.metrics.MetricRecord;
import dev.nimbus.aws.metrics.Metrics;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.model.ConnectionRef;

/**
 * The Embedded Metric Format record of one discovery run: one line on stdout per run, the numbers
 * the run record already holds, under the dimension {@code Service=discovery}. The template's
 * failed-runs alarm watches {@value #RUN_FAILED}. Tenant, connection and run id are properties
 * (searchable in Logs Insights), not dimensions, so metrics do not multiply by tenant.
 */
public final class RunMetrics {
  public static final String SERVICE = "discovery";
  public static final String RUN_FAILED = "RunFailed";

  private final Metrics metrics;

  public RunMetrics(Metrics metrics) {
    this.metrics = metrics;
  }

  /** Emits the record of a run that ended with a report (succeeded or recorded as failed). */
  public void emit(RunReport report, String runId) {
    RunRecord run = report.run();
    if (run == null) {
      // No run happened (the connection was deleted after its message was queued): no metrics.
      return;
    }
    MetricRecord record =
        base(report.connection(), runId)
            .count(RUN_FAILED, report.succeeded() ? 0 : 1)
            .count("ProxmoxCalls", run.providerCalls())
            .count("CisCreated", run.created())
            .count("CisUpdated", run.updated())
            .count("CisDeleted", run.deleted())
            .count("CisUnreachable", run.unreachable())
            .count("CisRecovered", run.recovered())
            .count("CisUnchanged", run.unchanged())
            // The apply's write requests and items, plus the run record saved after it.
            .count("DynamoDbWriteRequests", run.dynamoDbWriteRequests() + 1)
            .count("DynamoDbWrittenItems", run.dynamoDbWrittenItems() + 1)
            .milliseconds("DurationMs", run.duration().toMillis())
            .count("Problems", run.errors().size())
            .count("FailedScopes", run.partialScopes().size())
            .property("startedAt", run.startedAt().toString());
    metrics.emit(record);
  }

  /**
   * Emits the record of a run that threw before it could record anything (DynamoDB or KMS
   * unavailable, a malformed message): it counts as failed, so the alarm sees it too.
   */
  public void emitThrown(ConnectionRef connection, String runId, Throwable error) {
    metrics.emit(
        base(connection, runId)
            .count(RUN_FAILED, 1)
            .property("error", error.getClass().getSimpleName()));
  }

  private MetricRecord base(ConnectionRef connection, String runId) {
    return metrics
        .record()
        .dimension("Service", SERVICE)
        .property("tenantId", connection == null ? null : connection.tenantId())
        .property("connectionId", connection == null ? null : connection.connectionId())
        .property("runId", runId);
  }
}
