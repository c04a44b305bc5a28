package dev.nimbus.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
  private static final String SECRET = "whsec-test-0123456789";
  private static final Instant SENT = Instant.parse("2026-03-01T10:00:00Z");
  private static final byte[] BODY = "{\"id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void theHeaderCarriesTheTimestampAndTheHmacOfTimestampDotBody() {
    // Expected value computed independently: printf '1772359200.{"id":"e1"}' | openssl dgst
    // -sha256 -hmac whsec-test-0123456789
    assertThat(WebhookSigner.sign(SECRET, SENT, BODY))
        .isEqualTo(
            "t=1772359200,v1=71f1e41c7f696f29c312f0849b02ce74a47ea4dcc550a23bfd7ae5825b15ee95");
  }

  @Test
  void aReceiverAcceptsTheSignatureWithinItsWindow() {
    String header = WebhookSigner.sign(SECRET, SENT, BODY);

    assertThat(
            WebhookSigner.verify(
                SECRET, header, BODY, SENT.plusSeconds(299), Duration.ofMinutes(5)))
        .isTrue();
  }

  @Test
  void aReplayOlderThanTheWindowIsRejected() {
    String header = WebhookSigner.sign(SECRET, SENT, BODY);

    assertThat(
            WebhookSigner.verify(
                SECRET, header, BODY, SENT.plusSeconds(301), Duration.ofMinutes(5)))
        .isFalse();
  }

  @Test
  void anAlteredBodyAWrongSecretOrAMovedTimestampIsRejected() {
    String header = WebhookSigner.sign(SECRET, SENT, BODY);
    byte[] altered = "{\"id\":\"e2\"}".getBytes(StandardCharsets.UTF_8);
    String movedTimestamp = header.replace("t=1772359200", "t=1772359260");

    assertThat(WebhookSigner.verify(SECRET, header, altered, SENT, Duration.ofMinutes(5)))
        .isFalse();
    assertThat(WebhookSigner.verify("other", header, BODY, SENT, Duration.ofMinutes(5))).isFalse();
    assertThat(WebhookSigner.verify(SECRET, movedTimestamp, BODY, SENT, Duration.ofMinutes(5)))
        .isFalse();
    assertThat(WebhookSigner.verify(SECRET, "garbage", BODY, SENT, Duration.ofMinutes(5)))
        .isFalse();
  }
}
