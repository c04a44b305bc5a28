package dev.nimbus.reliability;

import dev.nimbus.testing.badinput.BadRequests.BadRequest;
import dev.nimbus.testing.lambda.HttpApiEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wizard's API as API Gateway calls it: an HTTP API payload 2.0 event, with the JWT claims its
 * authorizer verified, through the real Lambda handler ({@link FunctionInvoker}, configured by the
 * system properties the campaign set). A started preview is polled to its end, as the SPA does, and
 * its problem is the answer: what only the cluster can refuse is refused there.
 */
final class WizardInvoker implements BadInputCampaign.Api {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_POLLS = 1_200;

  private final FunctionInvoker invoker;

  WizardInvoker() {
    System.setProperty("spring.cloud.function.definition", "wizardApi");
    invoker = new FunctionInvoker();
  }

  @Override
  public BadInputCampaign.Answer call(BadRequest r) {
    BadInputCampaign.Answer answer = call(r.tenant(), r.method(), r.path(), r.query(), r.body());
    if (answer.status() == 202 && r.route().equals("POST /api/preview")) {
      return poll(r.tenant(), JSON.readTree(answer.body()).path("previewId").asString());
    }
    return answer;
  }

  private BadInputCampaign.Answer poll(String tenant, String previewId) {
    for (int i = 0; i < MAX_POLLS; i++) {
      BadInputCampaign.Answer a =
          call(tenant, "GET", "/api/preview/" + previewId, java.util.Map.of(), null);
      JsonNode json = JSON.readTree(a.body());
      if (a.status() != 200 || !"running".equals(json.path("status").asString())) {
        // A finished preview answers 200 with its outcome; a refused one carries its problem.
        JsonNode problem = json.path("problem");
        return problem.isMissingNode() || problem.isNull()
            ? a
            : new BadInputCampaign.Answer(problem.path("status").asInt(), a.body());
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("preview " + previewId + " still running after 1,200 polls");
  }

  BadInputCampaign.Answer call(
      String tenant, String method, String path, java.util.Map<String, String> query, String body) {
    String event = HttpApiEvents.request(tenant, method, path, query, body, "bin/reliability");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      invoker.handleRequest(
          new ByteArrayInputStream(event.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          out,
          null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode r = JSON.readTree(out.toByteArray());
    JsonNode b = r.path("body");
    return new BadInputCampaign.Answer(
        r.path("statusCode").asInt(), b.isMissingNode() || b.isNull() ? "" : b.asString());
  }
}
