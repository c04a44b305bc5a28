package dev.nimbus.wizard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PreviewLauncherTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A Lambda client that records its invocations: every other operation stays unsupported. */
  private static final class RecordingLambda implements LambdaClient {
    final List<InvokeRequest> invocations = new ArrayList<>();

    @Override
    public InvokeResponse invoke(InvokeRequest request) {
      invocations.add(request);
      return InvokeResponse.builder().statusCode(202).build();
    }

    @Override
    public String serviceName() {
      return "lambda";
    }

    @Override
    public void close() {}
  }

  @Test
  void theLambdaLauncherInvokesTheFunctionAsynchronouslyWithOnlyTenantAndPreviewId() {
    RecordingLambda lambda = new RecordingLambda();

    PreviewLauncher.lambda(lambda, "nimbus-wizard:live").launch("acme", "a".repeat(32));

    assertThat(lambda.invocations).hasSize(1);
    InvokeRequest r = lambda.invocations.getFirst();
    assertThat(r.functionName()).isEqualTo("nimbus-wizard:live");
    // Event: Lambda queues it and answers at once, so POST /api/preview is not held.
    assertThat(r.invocationType()).isEqualTo(InvocationType.EVENT);
    JsonNode event = JSON.readTree(r.payload().asUtf8String());
    assertThat(event.path("routeKey").asString()).isEqualTo(PreviewLauncher.ROUTE_KEY);
    JsonNode body = JSON.readTree(event.path("body").asString());
    assertThat(body.propertyNames()).containsExactlyInAnyOrder("tenantId", "previewId");
    assertThat(body.path("tenantId").asString()).isEqualTo("acme");
    assertThat(body.path("previewId").asString()).isEqualTo("a".repeat(32));
  }

  @Test
  void theRouteKeyIsNoneAnApiGatewayRouteCanHave() {
    // HTTP API route keys are "$default" or "METHOD /path": never without a space and a slash.
    assertThat(PreviewLauncher.ROUTE_KEY).doesNotContain(" ").doesNotStartWith("$");
  }

  @Test
  void theInProcessLauncherRunsTheWorkOnAnotherThread() throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    List<String> seen = new ArrayList<>();
    Thread caller = Thread.currentThread();
    PreviewLauncher.inProcess(
            (tenant, id) -> {
              if (Thread.currentThread() != caller) {
                seen.add(tenant + "/" + id);
              }
              ran.countDown();
            })
        .launch("acme", "b".repeat(32));

    assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).containsExactly("acme/" + "b".repeat(32));
  }
}
