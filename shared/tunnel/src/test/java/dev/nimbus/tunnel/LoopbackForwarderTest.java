package dev.nimbus.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.ProxySettings;
import dev.nimbus.proxmox.client.tls.TlsTrust;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.SimulatorConfig;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forwarder against the Proxmox simulator, as the provider would use it: an HTTPS client that
 * trusts only the run's CA, talking to 127.0.0.1, with the token in its Authorization header.
 */
class LoopbackForwarderTest {
  static PveSimulator sim;
  static ApiToken token;

  @BeforeAll
  static void start() {
    sim = PveSimulator.start(SimulatorConfig.demo().withAuthFailureDelay(Duration.ZERO));
    token = sim.createToken("deploy@pve", "nimbus", "Administrator", true);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static ClientSettings.Builder pinnedToSimulator() {
    return ClientSettings.builder("https://127.0.0.1:" + sim.port())
        .trust(TlsTrust.PinnedFingerprints.of(sim.fingerprint(sim.entryNode())))
        .apiToken("unused@pve!x", Secret.of("unused"));
  }

  /** An HTTPS client like the provider: trusts the run's CA and nothing else. */
  static HttpClient providerLike(LoopbackForwarder f) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry(
        "run-ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(f.caCertificatePem().getBytes())));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).build();
  }

  static HttpResponse<String> get(HttpClient client, LoopbackForwarder f, String path)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(f.endpoint().resolve(path))
            .header("Authorization", token.authorizationHeader())
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void forwardsToAPinnedProxmoxOverTlsTheProviderTrusts() throws Exception {
    try (LoopbackForwarder f = LoopbackForwarder.start(pinnedToSimulator().build())) {
      assertThat(f.endpoint().toString()).matches("https://127\\.0\\.0\\.1:\\d+/");
      HttpClient client = providerLike(f);
      var version = get(client, f, "/api2/json/version");
      assertThat(version.statusCode()).isEqualTo(200);
      assertThat(version.body()).contains("\"release\":\"8.4\"");

      // A write with a form body, as the provider sends it, and the simulator's own answer.
      var created =
          client.send(
              HttpRequest.newBuilder(f.endpoint().resolve("/api2/json/pools"))
                  .header("Authorization", token.authorizationHeader())
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "poolid=forwarded&comment=via%20forwarder"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).isEqualTo(200);
      assertThat(get(client, f, "/api2/json/pools/forwarded").body()).contains("via forwarder");

      // Proxmox's own 401 reaches the provider unchanged.
      var denied =
          client.send(
              HttpRequest.newBuilder(f.endpoint().resolve("/api2/json/version")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(denied.statusCode()).isEqualTo(401);
      assertThat(f.forwardedRequests()).isEqualTo(4);
      assertThat(f.failures()).isEmpty();
    }
  }

  @Test
  void aFixedPortGivesEveryRunTheSameEndpointAndABusyPortIsNamed() throws Exception {
    int port;
    try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    String first;
    try (LoopbackForwarder f = LoopbackForwarder.start(pinnedToSimulator().build(), port)) {
      first = f.endpoint().toString();
      assertThat(get(providerLike(f), f, "/api2/json/version").statusCode()).isEqualTo(200);
      // While one run holds the port, a second one cannot start and says why.
      assertThatThrownBy(() -> LoopbackForwarder.start(pinnedToSimulator().build(), port))
          .hasMessageContaining("127.0.0.1:" + port)
          .hasMessageContaining("another run");
    }
    try (LoopbackForwarder f = LoopbackForwarder.start(pinnedToSimulator().build(), port)) {
      // The next run: same endpoint (what the stack's state keeps), a new CA.
      assertThat(f.endpoint().toString()).isEqualTo(first).endsWith(":" + port + "/");
      assertThat(get(providerLike(f), f, "/api2/json/version").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void goesThroughAConnectProxyWithThePathPrefixAndTheTunnelHeaders() throws Exception {
    try (ConnectProxy proxy = new ConnectProxy();
        TunnelGateway gateway =
            new TunnelGateway(
                "/pve-lab",
                "CF-Access-Client-Secret",
                "cf-secret-4711",
                sim.baseUri(),
                sim.trustingSslContext())) {
      ClientSettings settings =
          ClientSettings.builder("https://127.0.0.1:" + gateway.port())
              .pathPrefix("/pve-lab")
              .header("CF-Access-Client-Secret", Secret.of("cf-secret-4711"))
              .proxy(ProxySettings.httpConnect("127.0.0.1", proxy.port()))
              .trust(TlsTrust.PinnedFingerprints.of(gateway.fingerprint()))
              .apiToken("unused@pve!x", Secret.of("unused"))
              .build();
      try (LoopbackForwarder f = LoopbackForwarder.start(settings)) {
        var nodes = get(providerLike(f), f, "/api2/json/nodes");
        assertThat(nodes.statusCode()).isEqualTo(200);
        assertThat(nodes.body()).contains("\"node\":\"pve1\"");
        assertThat(proxy.targets).containsExactly("127.0.0.1:" + gateway.port());
        assertThat(gateway.seenPaths).containsExactly("/pve-lab/api2/json/nodes");
      }
    }
  }

  @Test
  void refusesAProxmoxWhoseCertificateIsNotPinned() throws Exception {
    long before = sim.requestCount();
    ClientSettings wrongPin =
        pinnedToSimulator().trust(TlsTrust.PinnedFingerprints.of("AA:".repeat(31) + "AA")).build();
    try (LoopbackForwarder f = LoopbackForwarder.start(wrongPin)) {
      var answer = get(providerLike(f), f, "/api2/json/version");
      assertThat(answer.statusCode()).isEqualTo(502);
      String seen = sim.fingerprint(sim.entryNode());
      assertThat(answer.body())
          .contains("Proxmox presented certificate " + seen + ", which is not pinned");
      assertThat(f.failures()).singleElement().asString().startsWith("GET /api2/json/version:");
      assertThat(f.forwardedRequests()).isZero();
    }
    // The handshake failed before any request was sent.
    assertThat(sim.requestCount()).isEqualTo(before);
  }

  @Test
  void refusesAProxmoxNotSignedByTheConnectionsCa() throws Exception {
    String otherCa = RunCertificateAuthority.create().caCertificatePem();
    ClientSettings wrongCa = pinnedToSimulator().trust(new TlsTrust.CustomCa(otherCa)).build();
    try (LoopbackForwarder f = LoopbackForwarder.start(wrongCa)) {
      var answer = get(providerLike(f), f, "/api2/json/version");
      assertThat(answer.statusCode()).isEqualTo(502);
      assertThat(answer.body()).contains("TLS verification of Proxmox failed");
    }
    // And with the cluster's real CA it works (host name checked: the simulator's SAN has
    // 127.0.0.1).
    ClientSettings rightCa =
        pinnedToSimulator().trust(new TlsTrust.CustomCa(sim.caCertificatePem())).build();
    try (LoopbackForwarder f = LoopbackForwarder.start(rightCa)) {
      assertThat(get(providerLike(f), f, "/api2/json/version").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void servesOnlyClientsThatTrustTheRunsCaAndOnlyApiPaths() throws Exception {
    try (LoopbackForwarder f = LoopbackForwarder.start(pinnedToSimulator().build())) {
      // A client with the JVM's default roots does not know the per-run CA.
      assertThatThrownBy(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(f.endpoint().resolve("/api2/json/version"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
      // A different run's CA does not open this one.
      try (LoopbackForwarder other = LoopbackForwarder.start(pinnedToSimulator().build())) {
        assertThatThrownBy(() -> get(providerLike(other), f, "/api2/json/version"))
            .isInstanceOf(SSLHandshakeException.class);
      }
      assertThat(get(providerLike(f), f, "/etc/passwd").statusCode()).isEqualTo(404);
      assertThat(f.forwardedRequests()).isZero();
    }
  }
}
