package dev.nimbus.pvesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The per-path fault hook: each {@link FaultKind} reaches the wire as described, only on the
 * matching path, until cleared. Read with a plain HttpsURLConnection so what is asserted is the
 * bytes a client receives.
 */
class PathFaultsTest {
  // One simulator for the class (these tests do not change its state); faults cleared after each.
  private static PveSimulator sim;
  private static ApiToken token;
  private static SSLSocketFactory tls;

  @BeforeAll
  static void start() {
    sim = PveSimulator.start(SimulatorConfig.demo().withAuthFailureDelay(Duration.ZERO));
    token = sim.createToken("root@pam", "pathfaults", Roles.ADMINISTRATOR, false);
    tls = sim.trustingSslContext().getSocketFactory();
  }

  @AfterEach
  void clearFaults() {
    sim.faults().clear();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  /** What a client read: status, content type, announced length, the bytes, or the read error. */
  record Wire(int status, String contentType, long contentLength, byte[] body, IOException error) {
    JsonNode json() {
      return SimClient.JSON.readTree(body);
    }
  }

  @ParameterizedTest
  @EnumSource(FaultKind.class)
  void everyKindAnswersAsDescribedOnTheMatchingPathOnly(FaultKind kind) throws IOException {
    long before = sim.faults().injected(kind);
    sim.faults().oversizedBodyBytes(3 * 1024 * 1024 + 7).onPath("/storage", kind);
    Wire wire = read("/storage");
    assertThat(wire.status()).isEqualTo(kind.status());
    switch (kind) {
      case HTTP_500, HTTP_502, HTTP_503, HTTP_595, HTTP_596 -> {
        assertThat(wire.error()).isNull();
        assertThat(wire.json().get("data").isNull()).isTrue();
      }
      case RESET_MID_BODY, TRUNCATED_BODY -> {
        assertThat(wire.error()).isNotNull();
        assertThat(wire.body().length).isLessThan((int) wire.contentLength());
      }
      case DATA_MISSING -> assertThat(wire.json().has("data")).isFalse();
      case DATA_NULL -> assertThat(wire.json().get("data").isNull()).isTrue();
      case DATA_OBJECT -> assertThat(wire.json().get("data").isObject()).isTrue();
      case DATA_STRING -> assertThat(wire.json().get("data").isString()).isTrue();
      case HTML_BODY -> {
        assertThat(wire.contentType()).startsWith("text/html");
        assertThat(new String(wire.body(), StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>");
      }
      case EMPTY_BODY -> {
        assertThat(wire.contentLength()).isZero();
        assertThat(wire.body()).isEmpty();
      }
      case OVERSIZED_BODY -> {
        assertThat(wire.contentLength()).isEqualTo(3 * 1024 * 1024 + 7);
        assertThat(wire.body()).hasSize(3 * 1024 * 1024 + 7);
        JsonNode data = wire.json().get("data");
        assertThat(data.isArray()).isTrue();
        assertThat(data.size()).isGreaterThan(3000);
      }
    }
    assertThat(sim.faults().injected(kind)).isEqualTo(before + 1);
    // Other paths are untouched, the fault stays until cleared, clearing restores the real answer.
    assertThat(read("/nodes").json().get("data").size()).isEqualTo(3);
    assertThat(read("/storage").status()).isEqualTo(kind.status());
    assertThat(sim.faults().injected(kind)).isEqualTo(before + 2);
    sim.faults().clearPathFaults();
    Wire clean = read("/storage");
    assertThat(clean.status()).isEqualTo(200);
    assertThat(clean.json().get("data").isArray()).isTrue();
    assertThat(clean.json().get("data").size()).isPositive();
  }

  @Test
  void theCutBodiesCutTheRealAnswer() throws IOException {
    // A guest config, unlike resources, has no live usage: identical on every read.
    String path = "/nodes/pve1/qemu/101/config";
    sim.faults().onPath(path, FaultKind.TRUNCATED_BODY);
    Wire truncated = read(path);
    sim.faults().onPath(path, FaultKind.RESET_MID_BODY);
    Wire reset = read(path);
    sim.faults().clear();
    Wire whole = read(path);
    assertThat(whole.body().length).isGreaterThan(200);
    assertThat(truncated.body().length).isPositive();
    assertThat(truncated.contentLength()).isEqualTo(whole.body().length);
    assertThat(reset.contentLength()).isEqualTo(whole.body().length);
    // What did arrive is the start of the real body.
    assertThat(Arrays.copyOf(whole.body(), truncated.body().length)).isEqualTo(truncated.body());
    assertThat(Arrays.copyOf(whole.body(), reset.body().length)).isEqualTo(reset.body());
  }

  @Test
  void aRegexMatchesWholePathsAndTheLastMatchingRuleWins() throws IOException {
    sim.faults().onPathMatching("/nodes/[^/]+/network", FaultKind.HTTP_503);
    assertThat(read("/nodes/pve1/network").status()).isEqualTo(503);
    assertThat(read("/nodes/pve3/network").status()).isEqualTo(503);
    assertThat(read("/nodes/pve1/status").status()).isEqualTo(200);
    assertThat(read("/nodes/pve1/qemu").status()).isEqualTo(200);

    sim.faults().onPath("/nodes/pve1/network", FaultKind.DATA_OBJECT);
    assertThat(read("/nodes/pve1/network").json().get("data").isObject()).isTrue();
    assertThat(read("/nodes/pve2/network").status()).isEqualTo(503);

    sim.faults().clear();
    assertThat(read("/nodes/pve2/network").status()).isEqualTo(200);
  }

  @Test
  void aPathMustBeAnApiPath() {
    assertThatThrownBy(() -> sim.faults().onPath("storage", FaultKind.HTTP_500))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sim.faults().oversizedBodyBytes(10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Wire read(String path) throws IOException {
    HttpsURLConnection c =
        (HttpsURLConnection) URI.create(sim.baseUri() + path).toURL().openConnection();
    c.setSSLSocketFactory(tls);
    c.setRequestProperty("Authorization", token.authorizationHeader());
    c.setReadTimeout(30_000);
    int status = c.getResponseCode();
    String type = c.getContentType();
    long length = c.getContentLengthLong();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    IOException error = null;
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      if (in != null) {
        byte[] buf = new byte[8192];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          got.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      error = e;
    }
    return new Wire(status, type, length, got.toByteArray(), error);
  }
}
