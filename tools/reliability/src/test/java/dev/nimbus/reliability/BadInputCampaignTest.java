package dev.nimbus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.testing.badinput.BadRequests;
import dev.nimbus.testing.badinput.SecretLedger;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report counts what it claims: a fake API that fails, accepts or echoes is reported as such,
 * so a clean table cannot come from a campaign that looks away.
 */
class BadInputCampaignTest {
  private static final String FAILING = "GET /api/connections/{id}/runs";
  private static final String ACCEPTING = "POST /api/webhooks";
  private static final String ECHOING = "POST /api/check";

  private final SecretLedger secrets = new SecretLedger();
  private final SecretScan scan = new SecretScan(secrets);
  private final BadRequests requests =
      new BadRequests(
          new BadRequests.Cluster(8006, Map.of("pve1", "AA:BB", "pve2", "CC:DD")), secrets, 7L);

  /** 500 on one route, 200 on another, the request body echoed on a third, 400 elsewhere. */
  private final BadInputCampaign.Api fake =
      r ->
          switch (r.route()) {
            case FAILING -> new BadInputCampaign.Answer(500, "{\"title\":\"Internal error\"}");
            case ACCEPTING -> new BadInputCampaign.Answer(201, "{}");
            case ECHOING ->
                new BadInputCampaign.Answer(400, "{\"detail\":" + quoted(r.body()) + "}");
            default -> new BadInputCampaign.Answer(400, "{\"title\":\"Bad request\"}");
          };

  private static String quoted(String body) {
    return "\"" + String.valueOf(body).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Test
  void serverErrorsAcceptedBadInputsAndEchoedSecretsAreCountedPerRoute() {
    List<BadInputCampaign.RouteResult> results =
        new BadInputCampaign(fake, requests, scan).run(BadRequests.ROUTES, 10);

    assertThat(results).hasSize(BadRequests.ROUTES.size());
    BadInputCampaign.RouteResult failing = result(results, FAILING);
    assertThat(failing.tried()).isEqualTo(10);
    assertThat(failing.serverErrors()).isEqualTo(10);
    assertThat(failing.clientErrors()).isZero();
    assertThat(failing.examples()).hasSize(3).allMatch(e -> e.startsWith("500 for " + FAILING));
    BadInputCampaign.RouteResult accepting = result(results, ACCEPTING);
    assertThat(accepting.other()).isEqualTo(10);
    assertThat(result(results, "GET /api/features").clientErrors()).isEqualTo(10);
    // Every bad check request carries a token secret or a header secret; echoed, each is found.
    SecretScan.Output answers = scan.outputs().getFirst();
    assertThat(answers.name()).isEqualTo("HTTP answers");
    assertThat(answers.texts()).isEqualTo(10L * BadRequests.ROUTES.size());
    assertThat(answers.found()).isPositive();
    assertThat(answers.where()).containsOnly(ECHOING);

    ReliabilityReport report =
        new ReliabilityReport(
            LocalDate.of(2026, 11, 30),
            "bin/reliability",
            List.of(),
            "not here",
            results,
            scan.outputs(),
            secrets.size());
    assertThat(report.serverErrors()).isEqualTo(10);
    assertThat(report.accepted()).isEqualTo(10);
    assertThat(report.secretsFound()).isEqualTo(answers.found());
    assertThat(report.targetsMet()).isFalse();
    String md = report.markdown();
    assertThat(md)
        .contains("| `" + FAILING + "` | 10 | 0 | 10 | 0 |")
        .contains("| `" + ACCEPTING + "` | 10 | 0 | 0 | 10 |")
        .contains("| HTTP answers | " + answers.texts() + " | ")
        .contains("All targets NOT met.");
    // The report names where a secret was found, never the secret.
    assertThat(secrets.found(md)).isEmpty();
  }

  @Test
  void aCleanCampaignMeetsItsTargets() {
    BadInputCampaign.Api refusing = r -> new BadInputCampaign.Answer(400, "{}");

    List<BadInputCampaign.RouteResult> results =
        new BadInputCampaign(refusing, requests, scan).run(BadRequests.ROUTES, 3);
    ReliabilityReport report =
        new ReliabilityReport(
            LocalDate.of(2026, 11, 30),
            "bin/reliability",
            List.of(),
            "not here",
            results,
            scan.outputs(),
            secrets.size());

    assertThat(report.badInputsTried()).isEqualTo(3L * BadRequests.ROUTES.size());
    assertThat(report.serverErrors()).isZero();
    assertThat(report.targetsMet()).isTrue();
    assertThat(report.markdown()).contains("All targets met.");
  }

  @Test
  void anOutputThatWasNeverScannedDoesNotCountAsClean() {
    ReliabilityReport report =
        new ReliabilityReport(
            LocalDate.of(2026, 11, 30),
            "bin/reliability",
            List.of(),
            null,
            List.of(),
            List.of(new SecretScan.Output("Wizard: log lines", 0, 0, 0, List.of())),
            0);

    assertThat(report.targetsMet()).isFalse();
  }

  private static BadInputCampaign.RouteResult result(
      List<BadInputCampaign.RouteResult> results, String route) {
    return results.stream().filter(r -> r.route().equals(route)).findFirst().orElseThrow();
  }
}
