package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.support.TestClients.NODE;
import static dev.nimbus.proxmox.client.support.TestClients.pinned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ProxmoxException.TransportError;
import dev.nimbus.proxmox.client.support.FakePve;
import dev.nimbus.proxmox.client.support.FakePve.Reply;
import dev.nimbus.proxmox.client.support.RelayProxies;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reaching Proxmox through tunnels and proxies, with pooled, bounded connections. */
class TunnelTest {
  private FakePve pve;

  @BeforeEach
  void start() {
    pve = new FakePve(NODE).fixture("/version", "version_pve9.json");
  }

  @AfterEach
  void stop() {
    pve.close();
  }

  @Test
  void sendsRequestsThroughAnHttpConnectProxy() throws Exception {
    try (RelayProxies.Relay proxy = RelayProxies.httpConnect()) {
      ProxmoxClient client =
          ProxmoxClient.create(
              pinned(pve).proxy(ProxySettings.httpConnect("127.0.0.1", proxy.port())).build());
      assertThat(client.version().release()).isEqualTo("9.1");
      assertThat(proxy.targets()).containsExactly("127.0.0.1:" + pve.port());
      assertThat(pve.requests()).hasSize(1);
    }
  }

  @Test
  void sendsRequestsThroughASocks5Proxy() throws Exception {
    try (RelayProxies.Relay proxy = RelayProxies.socks5()) {
      ProxmoxClient client =
          ProxmoxClient.create(
              pinned(pve).proxy(ProxySettings.socks5("127.0.0.1", proxy.port())).build());
      assertThat(client.version().release()).isEqualTo("9.1");
      assertThat(proxy.targets()).containsExactly("127.0.0.1:" + pve.port());
    }
  }

  @Test
  void sendsThePathPrefixAndTheExtraHeadersOfTheTunnel() {
    ProxmoxClient client =
        ProxmoxClient.create(
            pinned(pve)
                .pathPrefix("/pve-lab/")
                .header("CF-Access-Client-Id", Secret.of("client-id.access"))
                .header("CF-Access-Client-Secret", Secret.of("cf-secret-value-123"))
                .build());
    client.version();
    FakePve.Request request = pve.requests().get(0);
    assertThat(request.rawPath()).isEqualTo("/pve-lab/api2/json/version");
    assertThat(request.header("CF-Access-Client-Id")).isEqualTo("client-id.access");
    assertThat(request.header("CF-Access-Client-Secret")).isEqualTo("cf-secret-value-123");
    assertThat(request.header("Authorization"))
        .isEqualTo("PVEAPIToken=discovery@pve!ro=5f0c1e2d-3b4a-4c5d-8e9f-a0b1c2d3e4f5");
  }

  @Test
  void reusesOneKeepAliveConnectionForSequentialCalls() {
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).build());
    for (int i = 0; i < 5; i++) {
      client.version();
    }
    assertThat(pve.requests()).hasSize(5);
    assertThat(pve.connections()).isEqualTo(1);
  }

  @Test
  void keepsNoMoreRequestsInFlightThanConfigured() throws Exception {
    pve.route("GET", "/nodes", r -> Reply.data("[]").delayed(150));
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).maxConcurrentRequests(2).build());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(pool.submit(client::nodes));
      }
      for (Future<?> f : calls) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(pve.maxInFlight()).isEqualTo(2);
    assertThat(client.callCount()).isEqualTo(8);
  }

  @Test
  void keepsEveryConnectionAliveWithSixteenRequestsInFlight() throws Exception {
    // The JDK keeps 5 idle connections per host and socket factory (http.maxConnections) and
    // closes the rest: with 16 calls in flight that was a new connection, and a TLS handshake,
    // for most calls. Waves of 16 concurrent calls must reuse the first 16 connections.
    pve.route("GET", "/nodes", r -> Reply.data("[]").delayed(20));
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).maxConcurrentRequests(16).build());
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 16 * 20; i++) {
        calls.add(pool.submit(client::nodes));
      }
      for (Future<?> f : calls) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(pve.requests()).hasSize(16 * 20);
    assertThat(pve.maxInFlight()).isGreaterThan(5).isLessThanOrEqualTo(16);
    assertThat(pve.connections()).isLessThanOrEqualTo(16);
  }

  @Test
  void countsCallsPerRunViewAndInTotal() {
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).build());
    client.version();
    ProxmoxClient run = client.withDeadline(Deadline.after(Duration.ofMinutes(1)));
    run.version();
    run.version();
    assertThat(run.callCount()).isEqualTo(2);
    assertThat(client.callCount()).isEqualTo(1);
    assertThat(client.totalCallCount()).isEqualTo(3);
  }

  @Test
  void reportsAReadTimeout() {
    pve.route("GET", "/cluster/resources", r -> Reply.data("[]").delayed(2000));
    ProxmoxClient client =
        ProxmoxClient.create(pinned(pve).readTimeout(Duration.ofMillis(300)).build());
    TransportError e =
        catchThrowableOfType(TransportError.class, () -> client.cluster().resources());
    assertThat(e.kind()).isEqualTo(TransportError.Kind.TIMEOUT);
    assertThat(e.getMessage()).startsWith("GET /cluster/resources failed: TIMEOUT");
  }

  @Test
  void reportsARefusedConnection() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ClientSettings base = pinned(pve).build();
    ProxmoxClient client =
        ProxmoxClient.create(
            ClientSettings.builder("https://127.0.0.1:" + closedPort)
                .trust(base.trust())
                .credentials(base.credentials())
                .retryPolicy(RetryPolicy.none())
                .build());
    TransportError e = catchThrowableOfType(TransportError.class, client::version);
    assertThat(e.kind()).isEqualTo(TransportError.Kind.CONNECTION_REFUSED);
  }
}
