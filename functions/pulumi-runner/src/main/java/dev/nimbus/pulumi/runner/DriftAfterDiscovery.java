package dev.nimbus.pulumi.runner;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.nimbus.model.ConnectionRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The drift check after each discovery run: the table's stream delivers the run record every
 * discovery run writes at its end (itemType RUN, PK {@code CONN#t#c}; template.yaml's event source
 * filters on exactly that, inserts only), and each connection of the batch that has stacks is
 * checked once. A connection without stacks costs one Query of its links and nothing else.
 *
 * <p>A check whose refresh failed is an answer, not a batch failure (the next run checks again); a
 * check that throws (the table unreachable) reports its records as batch item failures, so Lambda
 * retries them.
 */
public final class DriftAfterDiscovery implements Function<DynamodbEvent, StreamsEventResponse> {
  private static final System.Logger LOG = System.getLogger(DriftAfterDiscovery.class.getName());

  private final DriftService drift;

  public DriftAfterDiscovery(DriftService drift) {
    this.drift = drift;
  }

  @Override
  public StreamsEventResponse apply(DynamodbEvent event) {
    Map<ConnectionRef, List<String>> byConnection = new LinkedHashMap<>();
    List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
    for (var record :
        event.getRecords() == null
            ? List.<DynamodbEvent.DynamodbStreamRecord>of()
            : event.getRecords()) {
      Map<String, AttributeValue> image =
          record.getDynamodb() == null ? null : record.getDynamodb().getNewImage();
      if (image == null || !dev.nimbus.aws.TableKeys.TYPE_RUN.equals(text(image, "itemType"))) {
        continue;
      }
      try {
        ConnectionRef ref = new ConnectionRef(text(image, "tenantId"), text(image, "connectionId"));
        byConnection
            .computeIfAbsent(ref, r -> new ArrayList<>())
            .add(record.getDynamodb().getSequenceNumber());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a run record without a valid connection: {0}", e);
      }
    }
    for (var e : byConnection.entrySet()) {
      try {
        if (drift.hasStacks(e.getKey())) {
          var check = drift.check(e.getKey().tenantId(), e.getKey().connectionId(), null);
          LOG.log(
              System.Logger.Level.INFO,
              "drift after discovery of {0}: {1} open, {2} new, {3} resolved",
              e.getKey(),
              check.open().size(),
              check.detected(),
              check.resolved());
        }
      } catch (RuntimeException ex) {
        LOG.log(
            System.Logger.Level.WARNING,
            "drift check after discovery of {0} failed: {1}",
            e.getKey(),
            ex.toString());
        e.getValue().forEach(seq -> failures.add(new StreamsEventResponse.BatchItemFailure(seq)));
      }
    }
    return new StreamsEventResponse(failures);
  }

  private static String text(Map<String, AttributeValue> image, String name) {
    AttributeValue v = image.get(name);
    return v == null ? null : v.getS();
  }
}
