package dev.nimbus.pvesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FaultsTest {
  private PveSimulator sim;
  private ApiToken token;
  private SimClient api;

  @BeforeEach
  void start() {
    sim = PveSimulator.start(SimulatorConfig.demo().withAuthFailureDelay(Duration.ZERO));
    token = sim.createToken("root@pam", "faults", Roles.ADMINISTRATOR, false);
    api = SimClient.withToken(sim, token);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void addedLatencyDelaysEveryRequestByAtLeastTheConfiguredTime() {
    sim.faults().latency(Duration.ofMillis(120));
    long start = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      assertThat(api.get("/version").status()).isEqualTo(200);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(360));
  }

  @Test
  void anOfflineNodeAnswers595OnItsProxiedPathsAndItsGuestsBecomeUnknown() {
    sim.admin().setNodeOnline("pve2", false);

    SimClient.Answer status = api.get("/nodes/pve2/status");
    assertThat(status.status()).isEqualTo(595);
    assertThat(status.reason()).contains("No route to host");
    assertThat(api.get("/nodes/pve2/qemu/103/config").status()).isEqualTo(595);
    assertThat(api.get("/nodes/pve1/status").status()).isEqualTo(200);

    JsonNode resources = api.get("/cluster/resources").data();
    assertThat(row(resources, "node/pve2").get("status").asString()).isEqualTo("offline");
    assertThat(row(resources, "qemu/103").get("status").asString()).isEqualTo("unknown");
    assertThat(row(resources, "qemu/103").has("cpu")).isFalse();
    assertThat(row(resources, "qemu/101").get("status").asString()).isEqualTo("running");

    sim.faults().offlineStatus(596);
    assertThat(api.get("/nodes/pve2/network").status()).isEqualTo(596);

    sim.admin().setNodeOnline("pve2", true);
    assertThat(api.get("/nodes/pve2/status").status()).isEqualTo(200);
  }

  @Test
  void anErrorRateOfOneAnswersEveryRequestWithA5xxAndCanBeLimitedToAPath() {
    sim.faults().errorRate(1.0);
    for (String path : List.of("/version", "/cluster/resources", "/nodes/pve1/qemu")) {
      SimClient.Answer a = api.get(path);
      assertThat(a.status()).isBetween(500, 599);
      assertThat(a.data().isNull()).isTrue();
    }
    sim.faults().errorRate(1.0, 503).onlyPaths("/nodes/pve3");
    assertThat(api.get("/nodes/pve3/qemu").status()).isEqualTo(503);
    assertThat(api.get("/nodes/pve1/qemu").status()).isEqualTo(200);
    sim.faults().clear();
    assertThat(api.get("/nodes/pve3/qemu").status()).isEqualTo(200);
  }

  @Test
  void aConnectionResetCutsTheResponseInTheMiddleOfTheBody() throws IOException {
    sim.faults().resetRate(1.0);
    HttpsURLConnection c = open("/cluster/resources");
    assertThat(c.getResponseCode()).isEqualTo(200);
    assertThat(c.getContentLengthLong()).isPositive();
    assertThatThrownBy(
            () -> {
              try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
              }
            })
        .isInstanceOf(IOException.class);
    sim.faults().resetRate(0);
    assertThat(api.get("/cluster/resources").status()).isEqualTo(200);
  }

  @Test
  void slowResponsesTrickleTheBodySoReadingItTakesAtLeastTheChunkDelays() throws IOException {
    sim.faults().slowResponses(Duration.ofMillis(25));
    long start = System.nanoTime();
    HttpsURLConnection c = open("/cluster/resources");
    byte[] body;
    try (InputStream in = c.getInputStream()) {
      body = in.readAllBytes();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    long chunks = (body.length + 255) / 256;
    assertThat(chunks).isGreaterThan(4);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(25 * (chunks - 1)));
    assertThat(SimClient.JSON.readTree(body).get("data").isArray()).isTrue();
  }

  @Test
  void requestsAreCountedInTotalAndPerPath() {
    sim.resetRequestCounts();
    api.get("/cluster/resources");
    api.get("/cluster/resources", Map.of("type", "vm"));
    api.get("/nodes/pve1/qemu/101/config");
    assertThat(sim.requestCount()).isEqualTo(3);
    assertThat(sim.requestCount("/cluster/resources")).isEqualTo(2);
    assertThat(sim.requestCounts()).containsEntry("/nodes/pve1/qemu/101/config", 1L);
  }

  private HttpsURLConnection open(String path) throws IOException {
    HttpsURLConnection c =
        (HttpsURLConnection) URI.create(sim.baseUri() + path).toURL().openConnection();
    c.setSSLSocketFactory(sim.trustingSslContext().getSocketFactory());
    c.setRequestProperty("Authorization", token.authorizationHeader());
    return c;
  }

  static JsonNode row(JsonNode rows, String id) {
    for (JsonNode r : rows) {
      if (r.get("id").asString().equals(id)) {
        return r;
      }
    }
    throw new AssertionError("no row " + id + " in " + rows);
  }
}
