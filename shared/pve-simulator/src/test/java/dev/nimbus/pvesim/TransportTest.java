package dev.nimbus.pvesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TransportTest {
  private PveSimulator sim;
  private ApiToken token;
  private SimClient api;

  @BeforeEach
  void start() {
    sim = PveSimulator.start(SimulatorConfig.demo().withAuthFailureDelay(Duration.ZERO));
    token = sim.createToken("root@pam", "tls", Roles.ADMINISTRATOR, false);
    api = SimClient.withToken(sim, token);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void eachNodeServesItsOwnCaSignedCertificateWhoseFingerprintTheApiExposes() throws Exception {
    JsonNode nodes = api.get("/nodes").data();
    for (JsonNode n : nodes) {
      String node = n.get("node").asString();
      X509Certificate served = servedCertificate(sim.baseUri(node).getPort());
      String fingerprint = ClusterPki.fingerprint(served);
      assertThat(n.get("ssl_fingerprint").asString())
          .isEqualTo(fingerprint)
          .isEqualTo(sim.fingerprint(node));
      assertThat(served.getSubjectX500Principal().getName()).contains("CN=" + node + ".local");
      JsonNode info = api.get("/nodes/" + node + "/certificates/info").data();
      JsonNode leaf =
          info.valueStream()
              .filter(c -> c.get("filename").asString().equals("pve-ssl.pem"))
              .findFirst()
              .orElseThrow();
      assertThat(leaf.get("fingerprint").asString()).isEqualTo(fingerprint);
      assertThat(leaf.get("san").valueStream().map(JsonNode::asString)).contains("127.0.0.1", node);
    }
    assertThat(fingerprintsOf(nodes)).doesNotHaveDuplicates();
  }

  @Test
  void theApiIsReachableThroughAnyNodeLikeRealProxmox() {
    SimClient viaPve3 =
        new SimClient(sim.baseUri("pve3"), sim.trustingSslContext())
            .header("Authorization", token.authorizationHeader());
    assertThat(viaPve3.get("/nodes/pve1/qemu/101/config").data().get("name").asString())
        .isEqualTo("web-01");
  }

  @Test
  void aClientThatDoesNotTrustTheClusterCaIsRefused() throws IOException {
    HttpsURLConnection c =
        (HttpsURLConnection) URI.create(sim.baseUri() + "/version").toURL().openConnection();
    assertThatThrownBy(c::getResponseCode).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void oneConnectionServesSeveralRequestsWithKeepAlive() throws IOException {
    requestsOnOneConnection("/version", "/cluster/status", "/nodes");
    assertThat(sim.requestCount()).isEqualTo(3);
    assertThat(sim.tlsHandshakes()).as("one handshake for the connection").isEqualTo(1);

    requestsOnOneConnection("/version");
    assertThat(sim.tlsHandshakes()).as("a second connection, a second handshake").isEqualTo(2);
    sim.resetRequestCounts();
    assertThat(sim.tlsHandshakes()).isZero();
  }

  private void requestsOnOneConnection(String... paths) throws IOException {
    try (SSLSocket socket =
        (SSLSocket)
            sim.trustingSslContext().getSocketFactory().createSocket("127.0.0.1", sim.port())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (String path : paths) {
        String request =
            "GET /api2/json"
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + token.authorizationHeader()
                + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 200 OK").contains("Connection: Keep-Alive");
        int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        assertThat(SimClient.JSON.readTree(in.readNBytes(length)).has("data")).isTrue();
      }
    }
  }

  @Test
  void errorsFollowTheProxmoxConventions() {
    SimClient.Answer unknown = api.get("/no/such/path");
    assertThat(unknown.status()).isEqualTo(501);
    assertThat(unknown.reason()).isEqualTo("Method 'GET /no/such/path' not implemented");
    assertThat(unknown.data().isNull()).isTrue();

    SimClient.Answer badType = api.get("/cluster/resources", Map.of("type", "pool"));
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.reason()).isEqualTo("Parameter verification failed.");
    assertThat(badType.body().at("/errors/type").asString()).contains("enumeration");
    assertThat(badType.body().get("message").asString())
        .isEqualTo("Parameter verification failed.\n");
  }

  @Test
  void tokenSecretsNeverAppearInToString() {
    assertThat(token.toString()).doesNotContain(token.secret()).contains("root@pam!tls");
  }

  private X509Certificate servedCertificate(int port) throws IOException {
    try (SSLSocket socket =
        (SSLSocket) sim.trustingSslContext().getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static java.util.List<String> fingerprintsOf(JsonNode nodes) {
    return nodes.valueStream().map(n -> n.get("ssl_fingerprint").asString()).toList();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    while (!buf.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed");
      }
      buf.write(b);
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }
}
