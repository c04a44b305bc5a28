package dev.nimbus.events;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.function.Function;

/**
 * The Lambda function on the table's stream: converts the batch, lets {@link CiEventsService}
 * handle it, and answers with the failed records ({@code ReportBatchItemFailures}), so Lambda
 * retries from the first failed record instead of the whole batch.
 */
public final class CiEventsFunction implements Function<DynamodbEvent, StreamsEventResponse> {
  private final CiEventsService service;

  public CiEventsFunction(CiEventsService service) {
    this.service = service;
  }

  @Override
  public StreamsEventResponse apply(DynamodbEvent event) {
    CiEventsService.BatchResult result = service.handle(LambdaStreamRecords.of(event));
    return new StreamsEventResponse(
        result.failedSequenceNumbers().stream()
            .map(StreamsEventResponse.BatchItemFailure::new)
            .toList());
  }
}
