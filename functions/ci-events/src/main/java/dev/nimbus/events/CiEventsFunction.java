package dev.nimbus.events;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.nimbus.aws.metrics.Metrics;
import java.util.function.Function;

/**
 * The Lambda function on the table's stream: converts the batch, lets {@link CiEventsService}
 * handle it, emits one metric record for the batch, and answers with the failed records ({@code
 * ReportBatchItemFailures}), so Lambda retries from the first failed record instead of the whole
 * batch.
 */
public final class CiEventsFunction implements Function<DynamodbEvent, StreamsEventResponse> {
  /** The dimension value of the batch metrics. */
  public static final String SERVICE = "ci-events";

  private final CiEventsService service;
  private final Metrics metrics;

  public CiEventsFunction(CiEventsService service, Metrics metrics) {
    this.service = service;
    this.metrics = metrics;
  }

  @Override
  public StreamsEventResponse apply(DynamodbEvent event) {
    CiEventsService.BatchResult result = service.handle(LambdaStreamRecords.of(event));
    metrics.emit(
        metrics
            .record()
            .dimension("Service", SERVICE)
            .count("Records", result.records())
            .count("Events", result.events())
            .count("EventsPublished", result.published().size())
            .count("WebhookDeliveries", result.webhookDeliveries())
            .count("WebhookFailures", result.webhookFailures())
            .count("FailedRecords", result.failedSequenceNumbers().size()));
    return new StreamsEventResponse(
        result.failedSequenceNumbers().stream()
            .map(StreamsEventResponse.BatchItemFailure::new)
            .toList());
  }
}
