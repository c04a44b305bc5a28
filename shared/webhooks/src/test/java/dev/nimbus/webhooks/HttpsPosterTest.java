package dev.nimbus.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.testing.https.LocalHttpsReceiver;
import dev.nimbus.testing.https.TestCertificates;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsPosterTest {
  @TempDir Path dir;

  private static UrlPolicy.Target target(String host, int port, String path) {
    return new UrlPolicy.Target(
        URI.create("https://" + host + ":" + port + path),
        host,
        port,
        path,
        List.of(InetAddress.getLoopbackAddress()));
  }

  private HttpsPoster trusting(TestCertificates certificates) {
    return new HttpsPoster(
        WebhookTls.trusting(certificates.writePem(dir)),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5));
  }

  @Test
  void postsTheBodyAndHeadersAndReturnsTheStatus() throws Exception {
    TestCertificates cert = TestCertificates.selfSigned("localhost");
    try (LocalHttpsReceiver receiver = LocalHttpsReceiver.answering(cert, 202)) {
      int status =
          trusting(cert)
              .post(
                  target("localhost", receiver.port(), "/hook?tenant=acme"),
                  Map.of("Nimbus-Event-Id", "e-1"),
                  "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

      assertThat(status).isEqualTo(202);
      LocalHttpsReceiver.Received got = receiver.received().getFirst();
      assertThat(got.path()).isEqualTo("/hook?tenant=acme");
      assertThat(got.body()).isEqualTo("{\"a\":1}");
      assertThat(got.header("Nimbus-Event-Id")).isEqualTo("e-1");
      assertThat(got.header("Content-Type")).startsWith("application/json");
    }
  }

  @Test
  void connectsToTheCheckedAddressWithoutLookingTheHostUpAgain() throws Exception {
    // "receiver.test" resolves nowhere: the call can only work by using the checked address,
    // while TLS still verifies the certificate for the name.
    TestCertificates cert = TestCertificates.selfSigned("receiver.test");
    try (LocalHttpsReceiver receiver = LocalHttpsReceiver.answering(cert, 200)) {
      int status =
          trusting(cert).post(target("receiver.test", receiver.port(), "/"), Map.of(), new byte[0]);

      assertThat(status).isEqualTo(200);
      assertThat(receiver.received().getFirst().header("Host"))
          .isEqualTo("receiver.test:" + receiver.port());
    }
  }

  @Test
  void aCertificateForAnotherNameIsRefused() {
    TestCertificates cert = TestCertificates.selfSigned("other.example");
    try (LocalHttpsReceiver receiver = LocalHttpsReceiver.answering(cert, 200)) {
      assertThatThrownBy(
              () ->
                  trusting(cert)
                      .post(target("localhost", receiver.port(), "/"), Map.of(), new byte[0]))
          .isInstanceOf(SSLException.class);
      assertThat(receiver.received()).isEmpty();
    }
  }

  @Test
  void aCertificateThatIsNotTrustedIsRefused() {
    TestCertificates served = TestCertificates.selfSigned("localhost");
    TestCertificates trusted = TestCertificates.selfSigned("localhost");
    try (LocalHttpsReceiver receiver = LocalHttpsReceiver.answering(served, 200)) {
      assertThatThrownBy(
              () ->
                  trusting(trusted)
                      .post(target("localhost", receiver.port(), "/"), Map.of(), new byte[0]))
          .isInstanceOf(SSLException.class);
    }
  }

  @Test
  void aHeaderWithALineBreakIsRefusedBeforeAnythingIsSent() {
    TestCertificates cert = TestCertificates.selfSigned("localhost");
    try (LocalHttpsReceiver receiver = LocalHttpsReceiver.answering(cert, 200)) {
      assertThatThrownBy(
              () ->
                  trusting(cert)
                      .post(
                          target("localhost", receiver.port(), "/"),
                          Map.of("X", "a\r\nInjected: yes"),
                          new byte[0]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(receiver.received()).isEmpty();
    }
  }
}
