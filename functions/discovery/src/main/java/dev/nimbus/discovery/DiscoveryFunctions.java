package dev.nimbus.discovery;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
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
   * One queued discovery per message (batch size 1 in template.yaml). A message whose run threw is
   * reported as a batch item failure, so SQS redelivers only it.
   */
  @Bean
  public Function<SQSEvent, SQSBatchResponse> runDiscovery(DiscoveryRunner runner) {
    return event -> {
      List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
      for (SQSEvent.SQSMessage message : event.getRecords()) {
        DiscoveryRequest request;
        try {
          request = DiscoveryScheduler.parse(message.getBody());
        } catch (RuntimeException e) {
          // A body that is not a discovery request never will be: report it once and drop it
          // rather than let SQS redeliver it into the dead-letter queue.
          LOG.log(
              Level.ERROR,
              () ->
                  "discovery message "
                      + message.getMessageId()
                      + " dropped, not a discovery request: "
                      + e.getMessage());
          continue;
        }
        try {
          runner.run(request.ref());
        } catch (RuntimeException e) {
          LOG.log(
              Level.ERROR,
              () -> "discovery message " + message.getMessageId() + " failed: " + e.getMessage());
          failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        }
      }
      return new SQSBatchResponse(failures);
    };
  }

  /** Direct invoke (the wizard's "discover now", the local run): one connection, one report. */
  @Bean
  public Function<DiscoveryRequest, RunReport> discoverConnection(DiscoveryRunner runner) {
    return request -> runner.run(request.ref());
  }
}
