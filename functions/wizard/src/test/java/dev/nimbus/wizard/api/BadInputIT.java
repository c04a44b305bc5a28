package dev.nimbus.wizard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.badinput.BadRequests;
import dev.nimbus.testing.badinput.BadRequests.BadRequest;
import dev.nimbus.testing.badinput.SecretLedger;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Generated bad input ({@link BadRequests}, shared with bin/reliability): 1,200 requests across
 * every route of the API, each with at least one input broken in a way the API must refuse (a body
 * field of the wrong type, out of range, malformed or missing; a body that is not JSON or too
 * large; a bad query parameter or path variable; a missing or malformed tenant claim), with
 * real-looking secrets in the secret fields. Every answer must be a 4xx problem (a single 5xx fails
 * the test), and no secret may appear in any answer or in anything the JVM logged meanwhile.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
  private static final int CASES = 1_200;

  private PveSimulator sim;
  private ApiClient api;
  private final SecretLedger secrets = new SecretLedger();
  private BadRequests requests;

  @BeforeAll
  void start(AwsTestEnvironment aws) {
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    String queue =
        aws.clients().sqs().createQueue(b -> b.queueName("bad-" + aws.tableName())).queueUrl();
    WizardEnvironment.configure(aws, queue);
    requests =
        new BadRequests(
            new BadRequests.Cluster(
                sim.port(),
                Map.of("pve1", sim.fingerprint("pve1"), "pve2", sim.fingerprint("pve2"))),
            secrets,
            20261130L);
    api = new ApiClient();
    api.captureLogs();
  }

  @AfterAll
  void stop() {
    if (api != null) {
      api.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void theGeneratorCoversEveryRouteOfTheApi() {
    WizardApi routes = new WizardApi(null, null, null, null, null, null, null, "custom:tenant");

    assertThat(BadRequests.ROUTES).containsExactlyInAnyOrderElementsOf(routes.routeList());
  }

  @Test
  void everyBadRequestIsRefusedWith4xxAndNoSecretIsEverEchoedOrLogged() {
    Map<Integer, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> byRoute = new TreeMap<>();
    for (int i = 0; i < CASES; i++) {
      BadRequest request = requests.next();
      String description = request.description();
      byRoute.merge(request.route(), 1, Integer::sum);
      ApiClient.Response response =
          api.call(
              request.tenant(), request.method(), request.path(), request.query(), request.body());
      if (response.status() == 202 && request.route().equals("POST /api/preview")) {
        // Start and poll: what only the cluster can refuse (a wrong secret, an untrusted
        // certificate) is the started preview's problem, and must be a 4xx problem there.
        ApiClient.Response polled =
            api.pollPreview(request.tenant(), response.json().path("previewId").asString());
        assertThat(polled.json().path("status").asString()).as(description).isEqualTo("failed");
        JsonNode problem = polled.json().path("problem");
        assertThat(problem.path("status").asInt())
            .as(description + " -> " + polled.body())
            .isBetween(400, 499);
        assertThat(secrets.found(polled.body())).as(description).isEmpty();
        byStatus.merge(problem.path("status").asInt(), 1, Integer::sum);
        continue;
      }
      byStatus.merge(response.status(), 1, Integer::sum);
      assertThat(response.status()).as(description + " -> " + response.body()).isBetween(400, 499);
      assertThat(response.contentType()).as(description).isEqualTo("application/problem+json");
      assertThat(secrets.found(response.body())).as(description).isEmpty();
    }
    assertThat(secrets.found(api.logs())).isEmpty();
    assertThat(api.bodies()).allSatisfy(b -> assertThat(secrets.found(b)).isEmpty());
    assertThat(api.bodies()).hasSizeGreaterThanOrEqualTo(CASES);
    assertThat(byRoute.keySet()).containsExactlyInAnyOrderElementsOf(BadRequests.ROUTES);
    System.out.println("bad-input statuses: " + byStatus + ", secrets checked: " + secrets.size());
  }
}
