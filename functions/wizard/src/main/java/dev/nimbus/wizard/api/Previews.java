package dev.nimbus.wizard.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import dev.nimbus.wizard.ConnectionWizard;
import dev.nimbus.wizard.Credentials;
import dev.nimbus.wizard.PreviewJobs;
import dev.nimbus.wizard.PreviewLauncher;
import dev.nimbus.wizard.Target;
import dev.nimbus.wizard.WizardException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The function side of start-and-poll previews (the store is shared/wizard {@link PreviewJobs}):
 * {@code POST /api/preview} validates the request as before, checks the URL policy, stores the
 * request encrypted and launches the second invocation (202 with the preview id); that invocation
 * parses the stored request with the same {@link Inputs}, runs {@link ConnectionWizard#preview} and
 * stores its answer, or the problem the synchronous call would have answered; {@code GET
 * /api/preview/{previewId}} returns what is stored.
 */
final class Previews {
  private static final Logger LOG = System.getLogger(Previews.class.getName());

  private final ConnectionWizard wizard;
  private final PreviewJobs jobs;
  private final PreviewLauncher launcher;

  Previews(ConnectionWizard wizard, PreviewJobs jobs, PreviewLauncher launcher) {
    this.wizard = wizard;
    this.jobs = jobs;
    this.launcher = launcher != null ? launcher : PreviewLauncher.inProcess(this::run);
  }

  /** Starts a validated preview; the answer for 202. */
  Map<String, Object> start(
      ConnectionRef ref, Target target, Credentials credentials, JsonNode body) {
    wizard.checkPreviewStart(ref, target, credentials);
    String id;
    try (Secret request = Secret.of(WizardApi.JSON.writeValueAsString(body))) {
      // A refused launch answers 500 with an error id (WizardApi) and leaves the preview FAILED
      // with this problem, not "running" for an hour.
      id =
          jobs.startAndLaunch(
              ref,
              request,
              launcher,
              503,
              WizardApi.problem(
                      503,
                      "unavailable",
                      "The preview could not be started",
                      "the preview's second invocation was refused; start the preview again",
                      List.of())
                  .getBody());
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("previewId", id);
    answer.put("status", "running");
    answer.put("poll", "/api/preview/" + id);
    return answer;
  }

  /** The preview as stored, for its tenant only; not found otherwise. */
  Map<String, Object> poll(String tenantId, String previewId) {
    PreviewJobs.Job job =
        jobs.get(tenantId, previewId)
            .orElseThrow(
                () -> WizardException.notFound("preview '" + Body.printable(previewId) + "'"));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("previewId", job.previewId());
    answer.put("status", job.status().name().toLowerCase(Locale.ROOT));
    answer.put("connectionId", job.connectionId());
    answer.put("startedAt", job.startedAt().toString());
    if (job.answerJson() != null) {
      JsonNode stored = WizardApi.JSON.readTree(job.answerJson());
      answer.put(job.status() == PreviewJobs.Status.DONE ? "result" : "problem", stored);
    }
    return answer;
  }

  /** The self-invocation event ({@link PreviewLauncher#ROUTE_KEY}): runs that preview. */
  APIGatewayV2HTTPResponse handleJob(APIGatewayV2HTTPEvent event) {
    JsonNode body = WizardApi.JSON.readTree(event.getBody() == null ? "{}" : event.getBody());
    String tenantId = body.path("tenantId").isString() ? body.path("tenantId").asString() : "";
    String previewId = body.path("previewId").isString() ? body.path("previewId").asString() : "";
    if (!tenantId.isEmpty() && PreviewJobs.isPreviewId(previewId)) {
      run(tenantId, previewId);
    }
    return APIGatewayV2HTTPResponse.builder().withStatusCode(204).build();
  }

  /**
   * Runs one stored preview and records its outcome; never throws, since an asynchronous invocation
   * that fails is retried by Lambda and the outcome is already recorded.
   */
  void run(String tenantId, String previewId) {
    long start = System.nanoTime();
    Optional<PreviewJobs.Claimed> claimed;
    try {
      claimed = jobs.claim(tenantId, previewId);
    } catch (RuntimeException e) {
      String kind = e.getClass().getName();
      LOG.log(Level.ERROR, () -> "preview " + previewId + " could not be read: " + kind);
      return;
    }
    if (claimed.isEmpty()) {
      return; // unknown, expired or already finished (a duplicate delivery)
    }
    APIGatewayV2HTTPResponse answer;
    try (PreviewJobs.Claimed c = claimed.get()) {
      answer = preview(c);
    }
    try {
      jobs.finish(tenantId, previewId, answer.getStatusCode(), answer.getBody());
    } catch (RuntimeException e) {
      String kind = e.getClass().getName();
      LOG.log(Level.ERROR, () -> "preview " + previewId + " could not be stored: " + kind);
      return;
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    int status = answer.getStatusCode();
    LOG.log(
        Level.INFO,
        () -> "preview " + previewId + " " + status + " " + ms + " ms tenant=" + tenantId);
  }

  private APIGatewayV2HTTPResponse preview(PreviewJobs.Claimed c) {
    try {
      Body b = new Body(c.request().useOnce(WizardApi.JSON::readTree));
      try (Target target = Inputs.target(b, true);
          Credentials credentials = Inputs.credentials(b, "credentials")) {
        DiscoveryScope scope = Inputs.scope(b);
        b.done();
        return WizardApi.json(200, wizard.preview(c.ref(), target, credentials, scope));
      }
    } catch (WizardException e) {
      return WizardApi.problem(
          e.kind().status(),
          e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          e.kind().title(),
          e.getMessage(),
          e.errors());
    } catch (RuntimeException e) {
      String id = UUID.randomUUID().toString().substring(0, 8);
      String kind = e.getClass().getName();
      LOG.log(Level.ERROR, () -> "preview failed unexpectedly, error id " + id + ": " + kind);
      return WizardApi.problem(
          500, "internal", "Internal error", "unexpected failure, error id " + id, List.of());
    }
  }
}
