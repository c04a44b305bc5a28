package dev.nimbus.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.testing.https.TestCertificates;
import dev.nimbus.testing.https.TricklingHttpsReceiver;
import dev.nimbus.testing.https.TricklingHttpsReceiver.Mode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole-call deadline against real receivers on loopback that trickle their answer: each sends
 * a byte or a line every 50 ms, far inside the 5 s read timeout, so only the deadline can end the
 * call. The assertions are on the outcome (the deadline's exception, the phase it names, the
 * connection closed by the poster); elapsed time is only bounded loosely, so that a regression
 * fails instead of hanging.
 */
// Without the deadline these calls would never end: the timeout turns such a regression into a
// failure instead of a hung build.
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpsPosterDeadlineTest {
  private static final Duration DEADLINE = Duration.ofMillis(1500);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration DRIP = Duration.ofMillis(50);
  private static final long HANG_GUARD_NANOS = DEADLINE.toNanos() * 10;

  @TempDir static Path dir;
  private static TestCertificates cert;
  private static HttpsPoster poster;

  @BeforeAll
  static void trust() {
    cert = TestCertificates.selfSigned("localhost");
    poster =
        new HttpsPoster(
            WebhookTls.trusting(cert.writePem(dir)), Duration.ofSeconds(2), READ_TIMEOUT, DEADLINE);
  }

  private static UrlPolicy.Target target(int port) {
    return new UrlPolicy.Target(
        URI.create("https://localhost:" + port + "/hook"),
        "localhost",
        port,
        "/hook",
        List.of(InetAddress.getLoopbackAddress()));
  }

  private static byte[] body() {
    return "{\"detail\":{}}".getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"CONTINUE_LINES", "HEADER_BYTES", "SILENT"})
  void aReceiverThatNeverFinishesItsAnswerIsAbortedByTheDeadline(Mode mode) throws Exception {
    try (TricklingHttpsReceiver receiver = TricklingHttpsReceiver.start(cert, mode, DRIP)) {
      long start = System.nanoTime();

      WebhookDeadlineExceededException e =
          catchThrowableOfType(
              WebhookDeadlineExceededException.class,
              () -> poster.post(target(receiver.port()), Map.of("Nimbus-Event-Id", "e-1"), body()));

      long elapsed = System.nanoTime() - start;
      assertThat(e).as(mode + " must end by the deadline").isNotNull();
      assertThat(e.deadline()).isEqualTo(DEADLINE);
      assertThat(e.getMessage()).isEqualTo("deadline of 1500 ms exceeded while reading the answer");
      assertThat(receiver.requests()).as("the request itself went through").isEqualTo(1);
      awaitClosed(receiver);
      assertThat(elapsed).as("guard against hanging only").isLessThan(HANG_GUARD_NANOS);
    }
  }

  @Test
  void aBodyThatNeverEndsDoesNotHoldTheCallOnceTheStatusIsKnown() throws Exception {
    try (TricklingHttpsReceiver receiver =
        TricklingHttpsReceiver.start(cert, Mode.ENDLESS_BODY, DRIP)) {
      long start = System.nanoTime();

      int status = poster.post(target(receiver.port()), Map.of(), body());

      long elapsed = System.nanoTime() - start;
      assertThat(status).isEqualTo(200);
      awaitClosed(receiver);
      assertThat(elapsed).as("guard against hanging only").isLessThan(HANG_GUARD_NANOS);
    }
  }

  @Test
  void aServerThatAcceptsButNeverSpeaksTlsIsAbortedInTheHandshake() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (Socket s = silent.accept()) {
                      // Read and drop the ClientHello, answer nothing, until the client leaves.
                      while (s.getInputStream().read() != -1) {
                        // Keep the connection open.
                      }
                    } catch (Exception ignored) {
                      // The test is over.
                    }
                  });

      WebhookDeadlineExceededException e =
          catchThrowableOfType(
              WebhookDeadlineExceededException.class,
              () -> poster.post(target(silent.getLocalPort()), Map.of(), body()));

      assertThat(e).isNotNull();
      assertThat(e.getMessage()).endsWith("in the TLS handshake");
      acceptor.join(Duration.ofSeconds(5));
      assertThat(acceptor.isAlive()).as("the poster closed the connection").isFalse();
    }
  }

  @Test
  void aPromptReceiverIsUnaffectedByTheDeadline() throws Exception {
    try (var receiver = dev.nimbus.testing.https.LocalHttpsReceiver.answering(cert, 204)) {
      assertThat(poster.post(target(receiver.port()), Map.of(), body())).isEqualTo(204);
      assertThat(poster.post(target(receiver.port()), Map.of(), body())).isEqualTo(204);
      assertThat(receiver.received()).hasSize(2);
    }
  }

  @Test
  void theDeadlineMustBePositive() {
    assertThat(
            catchThrowableOfType(
                IllegalArgumentException.class,
                () ->
                    new HttpsPoster(
                        WebhookTls.jvmDefault(),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ZERO)))
        .hasMessageContaining("deadline");
    assertThat(
            new HttpsPoster(WebhookTls.jvmDefault(), Duration.ofSeconds(1), Duration.ofSeconds(1))
                .deadline())
        .isEqualTo(HttpsPoster.DEFAULT_DEADLINE);
  }

  /** The receiver notices the poster's close within a few of its drips. */
  private static void awaitClosed(TricklingHttpsReceiver receiver) throws InterruptedException {
    for (int i = 0; i < 100 && receiver.closedByClient() == 0; i++) {
      Thread.sleep(20);
    }
    assertThat(receiver.closedByClient()).as("the poster closed the connection").isEqualTo(1);
  }
}
