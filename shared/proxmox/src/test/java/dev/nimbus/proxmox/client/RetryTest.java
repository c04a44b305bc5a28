package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.support.TestClients.NODE;
import static dev.nimbus.proxmox.client.support.TestClients.pinned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.proxmox.client.ProxmoxException.AuthenticationFailed;
import dev.nimbus.proxmox.client.ProxmoxException.NodeUnreachable;
import dev.nimbus.proxmox.client.ProxmoxException.ServerError;
import dev.nimbus.proxmox.client.ProxmoxException.TransportError;
import dev.nimbus.proxmox.client.support.FakePve;
import dev.nimbus.proxmox.client.support.FakePve.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries for idempotent reads only, with backoff, bounded by the run's deadline. */
class RetryTest {
  private static final RetryPolicy QUICK =
      new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(100), 0.5);
  private FakePve pve;

  @BeforeEach
  void start() {
    pve = new FakePve(NODE);
  }

  @AfterEach
  void stop() {
    pve.close();
  }

  private static java.util.function.Function<FakePve.Request, Reply> failingFirst(
      int failures, Reply failure, Reply success) {
    AtomicInteger seen = new AtomicInteger();
    return r -> seen.incrementAndGet() <= failures ? failure : success;
  }

  @Test
  void retriesAReadThatFailedWithAServerError() {
    pve.route(
        "GET",
        "/cluster/resources",
        failingFirst(1, Reply.error(500, "got timeout"), Reply.data("[]")));
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).build());
    assertThat(client.cluster().resources()).isEmpty();
    assertThat(pve.requests("GET", "/cluster/resources")).hasSize(2);
    assertThat(client.callCount()).isEqualTo(2);
  }

  @Test
  void doesNotRetryANodeThatPveproxyCannotReach() {
    // 595/596: the node is offline or fenced; asking again within seconds only multiplies calls.
    for (int status : new int[] {595, 596}) {
      String path = "/nodes/beta/status/" + status;
      pve.route(
          "GET",
          path,
          failingFirst(1, Reply.error(status, "No route to host"), Reply.data("{\"uptime\":5}")));
      ProxmoxClient client = ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).build());
      NodeUnreachable e =
          catchThrowableOfType(NodeUnreachable.class, () -> client.get(path, Map.of()));
      assertThat(e.node()).isEqualTo("beta");
      assertThat(pve.requests("GET", path)).hasSize(1);
    }
  }

  @Test
  void retriesAGenericProxyFailure599() {
    pve.route(
        "GET",
        "/nodes/beta/status",
        failingFirst(2, Reply.error(599, "Too many redirections"), Reply.data("{\"uptime\":5}")));
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).build());
    assertThat(client.node("beta").status().uptime()).isEqualTo(5L);
    assertThat(pve.requests("GET", "/nodes/beta/status")).hasSize(3);
  }

  @Test
  void neverRetriesAWrite() {
    pve.route("POST", "/access/users/ops@pve/token/ci", r -> Reply.error(500, "got timeout"));
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).build());
    ServerError e =
        catchThrowableOfType(
            ServerError.class,
            () -> client.access().createToken("ops@pve", "ci", null, true, null));
    assertThat(e.getMessage()).startsWith("POST /access/users/ops@pve/token/ci failed: 500");
    assertThat(pve.requests()).hasSize(1);
  }

  @Test
  void neverRetriesARefusedToken() {
    pve.route("GET", "/version", r -> Reply.error(401, "authentication failure"));
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).build());
    catchThrowableOfType(AuthenticationFailed.class, client::version);
    assertThat(pve.requests()).hasSize(1);
  }

  @Test
  void givesUpAfterTheConfiguredAttempts() {
    pve.route("GET", "/nodes/beta/network", r -> Reply.error(503, "Service Unavailable"));
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).build());
    ServerError e = catchThrowableOfType(ServerError.class, () -> client.node("beta").network());
    assertThat(e.status()).isEqualTo(503);
    assertThat(pve.requests()).hasSize(4);
  }

  @Test
  void stopsRetryingAtTheRunDeadline() {
    pve.route("GET", "/nodes/beta/status", r -> Reply.error(500, "got timeout"));
    RetryPolicy patient = new RetryPolicy(50, Duration.ofMillis(100), Duration.ofMillis(100), 0);
    ProxmoxClient run =
        ProxmoxClient.create(pinned(pve).retryPolicy(patient).build())
            .withDeadline(Deadline.after(Duration.ofMillis(450)));
    long started = System.nanoTime();
    catchThrowableOfType(ServerError.class, () -> run.node("beta").status());
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(elapsedMillis).isLessThan(1_500);
    assertThat(pve.requests()).hasSizeBetween(2, 6);
  }

  @Test
  void makesNoCallOnceTheDeadlineHasPassed() {
    pve.route("GET", "/version", r -> Reply.data("{\"version\":\"8.2.4\"}"));
    ProxmoxClient run =
        ProxmoxClient.create(pinned(pve).build()).withDeadline(Deadline.after(Duration.ZERO));
    TransportError e = catchThrowableOfType(TransportError.class, run::version);
    assertThat(e.kind()).isEqualTo(TransportError.Kind.DEADLINE_EXCEEDED);
    assertThat(pve.requests()).isEmpty();
  }

  @Test
  void backsOffExponentiallyWithBoundedJitter() {
    RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(1000), 0.5);
    for (int i = 0; i < 50; i++) {
      assertThat(policy.backoff(1).toMillis()).isBetween(50L, 100L);
      assertThat(policy.backoff(3).toMillis()).isBetween(200L, 400L);
      assertThat(policy.backoff(10).toMillis()).isBetween(500L, 1000L);
    }
    assertThat(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 0).backoff(2))
        .isEqualTo(Duration.ofMillis(200));
  }
}
