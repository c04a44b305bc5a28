package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.support.TestClients.NODE;
import static dev.nimbus.proxmox.client.support.TestClients.pinned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.proxmox.client.ProxmoxException.AuthenticationFailed;
import dev.nimbus.proxmox.client.ProxmoxException.InvalidResponse;
import dev.nimbus.proxmox.client.ProxmoxException.TransportError;
import dev.nimbus.proxmox.client.support.FakePve;
import dev.nimbus.proxmox.client.support.FakePve.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport's limits: a whole-call limit that bounds a trickled body, a response size cap,
 * retries of cut bodies on reads only, no retries for an offline node or a revoked token.
 */
class TransportLimitsTest {
  private static final RetryPolicy QUICK =
      new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(20), 0);
  private static final String RESOURCES = resources(40);
  private FakePve pve;

  @BeforeEach
  void start() {
    pve = new FakePve(NODE);
  }

  @AfterEach
  void stop() {
    pve.close();
  }

  private static String resources(int rows) {
    StringBuilder b = new StringBuilder("{\"data\":[");
    for (int i = 0; i < rows; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"id\":\"qemu/")
          .append(100 + i)
          .append("\",\"type\":\"qemu\",\"vmid\":")
          .append(100 + i)
          .append(",\"node\":\"alpha\",\"status\":\"running\"}");
    }
    return b.append("]}").toString();
  }

  private static Function<FakePve.Request, Reply> firstThen(Reply first, Reply then) {
    AtomicInteger seen = new AtomicInteger();
    return r -> seen.incrementAndGet() == 1 ? first : then;
  }

  /** Trickles {@code body} and counts the chunks the server managed to send. */
  private static Reply countedTrickle(
      String body, int chunk, long delayMillis, AtomicInteger sent) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return Reply.rawAnswer(
        (socket, out) -> {
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                      + bytes.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.UTF_8));
          out.flush();
          for (int off = 0; off < bytes.length; off += chunk) {
            out.write(bytes, off, Math.min(chunk, bytes.length - off));
            out.flush();
            sent.incrementAndGet();
            Thread.sleep(delayMillis);
          }
        });
  }

  @Test
  void theRunDeadlineEndsABodyThatTricklesInSlowerThanTheReadTimeoutNotices() {
    // 40 rows in 32-byte chunks every 50 ms: each read returns in time, the whole takes > 3 s.
    int chunks = (RESOURCES.length() + 31) / 32;
    assertThat(chunks).isGreaterThan(60);
    AtomicInteger sent = new AtomicInteger();
    pve.route("GET", "/cluster/resources", r -> countedTrickle(RESOURCES, 32, 50, sent));
    ProxmoxClient run =
        ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).build())
            .withDeadline(Deadline.after(Duration.ofMillis(600)));

    TransportError e = catchThrowableOfType(TransportError.class, () -> run.cluster().resources());

    assertThat(e.kind()).isEqualTo(TransportError.Kind.DEADLINE_EXCEEDED);
    assertThat(e.getMessage()).startsWith("GET /cluster/resources failed: DEADLINE_EXCEEDED");
    // The client hung up: the server could not send the rest of the body.
    assertThat(sent.get()).isLessThan(chunks / 2);
    assertThat(pve.requests("GET", "/cluster/resources")).hasSize(1);
  }

  @Test
  void theCallTimeoutBoundsEachAttemptWithoutARunDeadline() {
    AtomicInteger sent = new AtomicInteger();
    pve.route("GET", "/cluster/resources", r -> countedTrickle(RESOURCES, 64, 50, sent));
    ProxmoxClient client =
        ProxmoxClient.create(pinned(pve).callTimeout(Duration.ofMillis(400)).build());

    TransportError e =
        catchThrowableOfType(TransportError.class, () -> client.cluster().resources());

    assertThat(e.kind()).isEqualTo(TransportError.Kind.TIMEOUT);
    assertThat(e.getMessage())
        .isEqualTo("GET /cluster/resources failed: TIMEOUT: no complete answer within 400 ms");
    assertThat(sent.get()).isLessThan((RESOURCES.length() + 63) / 64 / 2);
  }

  @Test
  void aBodyAboveTheCapFailsTheCallBeforeItIsRead() {
    pve.route("GET", "/cluster/resources", r -> Reply.huge(3L << 20, false));
    ProxmoxClient client =
        ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).maxResponseBytes(1L << 20).build());

    InvalidResponse e =
        catchThrowableOfType(InvalidResponse.class, () -> client.cluster().resources());

    assertThat(e.getMessage())
        .startsWith(
            "GET /cluster/resources failed: 200 answer is larger than the limit of 1048576 bytes"
                + " (maxResponseBytes): Content-Length ");
    assertThat(pve.requests("GET", "/cluster/resources")).hasSize(1);
  }

  @Test
  void aChunkedBodyWithoutLengthIsCountedAndCutAtTheCap() {
    pve.route("GET", "/cluster/resources", r -> Reply.huge(3L << 20, true));
    ProxmoxClient client =
        ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).maxResponseBytes(1L << 20).build());

    InvalidResponse e =
        catchThrowableOfType(InvalidResponse.class, () -> client.cluster().resources());

    assertThat(e.getMessage())
        .isEqualTo(
            "GET /cluster/resources failed: 200 answer is larger than the limit of 1048576 bytes"
                + " (maxResponseBytes)");
    assertThat(pve.requests("GET", "/cluster/resources")).hasSize(1);
  }

  @Test
  void aBodyBelowTheCapIsReadWhetherChunkedOrNot() {
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).maxResponseBytes(1L << 20).build());
    pve.route("GET", "/cluster/resources", r -> Reply.huge(900_000, true));
    assertThat(client.cluster().resources()).hasSizeGreaterThan(800);
    pve.route("GET", "/cluster/resources", r -> Reply.huge(900_000, false));
    assertThat(client.cluster().resources()).hasSizeGreaterThan(800);
    assertThat(ClientSettings.builder("https://pve.example.net").build().maxResponseBytes())
        .isEqualTo(64L << 20);
  }

  @Test
  void aTruncatedBodyOnAReadIsRetriedAndThenSucceeds() {
    pve.route(
        "GET",
        "/cluster/resources",
        firstThen(Reply.truncated(RESOURCES, 700), Reply.ok(RESOURCES)));
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).build());
    assertThat(client.cluster().resources()).hasSize(40);
    assertThat(pve.requests("GET", "/cluster/resources")).hasSize(2);
  }

  @Test
  void aResetMidBodyOnAReadIsRetriedAndThenSucceeds() {
    pve.route(
        "GET", "/cluster/resources", firstThen(Reply.reset(RESOURCES, 700), Reply.ok(RESOURCES)));
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).build());
    assertThat(client.cluster().resources()).hasSize(40);
    assertThat(pve.requests("GET", "/cluster/resources")).hasSize(2);
  }

  @Test
  void aBodyThatKeepsArrivingCutIsATruncatedBodyErrorAfterTheLastAttempt() {
    pve.route("GET", "/storage", r -> Reply.truncated(RESOURCES, 300));
    ProxmoxClient client = ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).build());
    TransportError e = catchThrowableOfType(TransportError.class, () -> client.storage().config());
    assertThat(e.kind()).isEqualTo(TransportError.Kind.TRUNCATED_BODY);
    assertThat(e.getMessage())
        .startsWith("GET /storage failed: TRUNCATED_BODY: body ended after 300 of ");
    assertThat(pve.requests("GET", "/storage")).hasSize(4);
  }

  @Test
  void aCutBodyOnAWriteIsNeverRetried() {
    for (Reply cut : new Reply[] {Reply.truncated(RESOURCES, 100), Reply.reset(RESOURCES, 100)}) {
      pve.route("POST", "/pools", firstThen(cut, Reply.data("null")));
      ProxmoxClient client = ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).build());
      int before = pve.requests("POST", "/pools").size();
      catchThrowableOfType(
          TransportError.class, () -> client.post("/pools", Map.of("poolid", "x")));
      assertThat(pve.requests("POST", "/pools")).hasSize(before + 1);
    }
  }

  @Test
  void aTokenRevokedMidRunIsAuthenticationFailedAtOnceNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    pve.fallback(
        r ->
            calls.incrementAndGet() <= 3
                ? Reply.data("[]")
                : Reply.error(401, "authentication failure"));
    ProxmoxClient run =
        ProxmoxClient.create(pinned(pve).retryPolicy(QUICK).build())
            .withDeadline(Deadline.after(Duration.ofMinutes(1)));
    assertThat(run.cluster().tasks()).isEmpty();
    assertThat(run.nodes()).isEmpty();
    assertThat(run.storage().config()).isEmpty();

    AuthenticationFailed e =
        catchThrowableOfType(AuthenticationFailed.class, () -> run.cluster().resources());

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.getMessage()).startsWith("GET /cluster/resources failed: 401");
    assertThat(pve.requests("GET", "/cluster/resources")).hasSize(1);
    assertThat(run.callCount()).isEqualTo(4);
  }
}
