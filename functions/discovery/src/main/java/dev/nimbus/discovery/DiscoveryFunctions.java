package dev.nimbus.discovery;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.nimbus.aws.lambda.LogContext;
import dev.nimbus.model.ConnectionRef;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The function beans: each parses its AWS event, calls one service method and shapes the answer.
 * The services never see an AWS event type.
 */
@Configuration(proxyBeanMethods = false)
public class DiscoveryFunctions {
  private static final Logger LOG = System.getLogger(DiscoveryFunctions.class.getName());

  /** EventBridge schedule tick: queue one discovery per due connection. */
  @Bean
  public Function<ScheduledEvent, DiscoveryScheduler.TickResult> scheduleDiscovery(
      DiscoveryScheduler scheduler) {
    return event -> scheduler.tick();
  }

  /**
   * One queued discovery per message (batch size 1 in template.yaml). A message whose run threw (a
   * retryable AWS error) is reported as a batch item failure, so SQS redelivers only it; one that
   * is not a discovery request is dropped. Every log line of a run names its tenant, connection and
   * run (the message id, the same on a redelivery), and every run ends with one metric record.
   */
  @Bean
  public Function<SQSEvent, SQSBatchResponse> runDiscovery(
      DiscoveryRunner runner, RunMetrics metrics) {
    return event -> {
      List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
      for (SQSEvent.SQSMessage message : event.getRecords()) {
        if (!run(runner, metrics, message.getBody(), message.getMessageId())) {
          failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        }
      }
      return new SQSBatchResponse(failures);
    };
  }

  private static boolean run(
      DiscoveryRunner runner, RunMetrics metrics, String body, String messageId) {
    ConnectionRef ref = null;
    try {
      ref = DiscoveryScheduler.parse(body).ref();
    } catch (RuntimeException e) {
      // A body that is not a discovery request never will be: reported once and dropped rather
      // than redelivered into the dead-letter queue.
      LOG.log(
          Level.ERROR,
          () ->
              "discovery message "
                  + messageId
                  + " dropped, not a discovery request: "
                  + e.getMessage());
      metrics.emitThrown(null, messageId, e);
      return true;
    }
    try (LogContext.Scope scope =
        LogContext.forRun(ref.tenantId(), ref.connectionId(), messageId)) {
      try {
        metrics.emit(runner.run(ref), messageId);
        return true;
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, () -> "discovery message " + messageId + " failed: " + e.getMessage());
        metrics.emitThrown(ref, messageId, e);
        return false;
      }
    }
  }
}
