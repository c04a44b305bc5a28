package dev.nimbus.wizard;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the second half of a preview ({@link PreviewJobs}): in AWS an asynchronous invocation of
 * the wizard function itself; locally (bin/wizard) and in tests a thread of this process, which
 * keeps running after the answer because the process does (a Lambda execution environment is frozen
 * once it answered, which is why AWS needs the second invocation).
 */
public interface PreviewLauncher {

  /** The {@code routeKey} of the self-invocation event; API Gateway never sends it. */
  String ROUTE_KEY = "nimbus:preview-job";

  /** Hands preview {@code previewId} of {@code tenantId} to a second invocation. */
  void launch(String tenantId, String previewId);

  /**
   * {@code lambda:Invoke} with {@code InvocationType=Event} of {@code functionName} (the wizard
   * function's own name or alias). The payload has the shape of an API Gateway HTTP event, so the
   * same function bean receives it, with the {@link #ROUTE_KEY} no API Gateway route can produce
   * and only the tenant and preview id: the request itself stays encrypted in the table.
   */
  static PreviewLauncher lambda(LambdaClient lambda, String functionName) {
    Objects.requireNonNull(lambda, "lambda");
    Objects.requireNonNull(functionName, "functionName");
    JsonMapper json = JsonMapper.builder().build();
    return (tenantId, previewId) -> {
      String payload = json.writeValueAsString(event(tenantId, previewId));
      lambda.invoke(
          b ->
              b.functionName(functionName)
                  .invocationType(InvocationType.EVENT)
                  .payload(SdkBytes.fromUtf8String(payload)));
    };
  }

  /** Runs {@code worker} on a virtual thread of this process (bin/wizard and tests). */
  static PreviewLauncher inProcess(BiConsumer<String, String> worker) {
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    return (tenantId, previewId) -> threads.submit(() -> worker.accept(tenantId, previewId));
  }

  /** The self-invocation event: {@code routeKey} and a JSON body naming tenant and preview. */
  static java.util.Map<String, Object> event(String tenantId, String previewId) {
    JsonMapper json = JsonMapper.builder().build();
    return java.util.Map.of(
        "version",
        "2.0",
        "routeKey",
        ROUTE_KEY,
        "rawPath",
        "/internal/preview-job",
        "body",
        json.writeValueAsString(java.util.Map.of("tenantId", tenantId, "previewId", previewId)),
        "isBase64Encoded",
        false);
  }
}
