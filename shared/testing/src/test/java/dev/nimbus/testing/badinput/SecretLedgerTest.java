package dev.nimbus.testing.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretLedgerTest {
  private final SecretLedger ledger = new SecretLedger();

  @Test
  void findsEachVerbatimOccurrenceOfARegisteredSecretAndNothingElse() {
    String secret = ledger.fresh("pw-");
    String other = ledger.fresh("");

    assertThat(ledger.found("{\"detail\":\"bad password " + secret + "\"}"))
        .containsExactly(secret);
    assertThat(ledger.found(secret + " and again " + secret + ", " + other))
        .containsExactly(secret, secret, other);
    assertThat(ledger.found("pw-" + "0".repeat(36) + " " + secret.substring(0, 30))).isEmpty();
    assertThat(ledger.size()).isEqualTo(2);
  }

  @Test
  void findsASecretBase64EncodedAtAnyOffsetOfAnEncodedText() {
    String secret = ledger.fresh("hv-");

    for (String prefix : new String[] {"", "a", "ab", "abc", "Authorization: Basic x"}) {
      String encoded =
          Base64.getEncoder()
              .encodeToString((prefix + secret + "\"}").getBytes(StandardCharsets.UTF_8));
      assertThat(ledger.found("{\"blob\":\"" + encoded + "\"}")).as(prefix).containsExactly(secret);
      String urlSafe =
          Base64.getUrlEncoder()
              .encodeToString((prefix + "??>" + secret).getBytes(StandardCharsets.UTF_8));
      assertThat(ledger.found(urlSafe)).as(prefix).containsExactly(secret);
    }
  }

  @Test
  void refusesSecretsTooShortToScanForWithoutChanceMatches() {
    assertThatThrownBy(() -> ledger.add("short")).isInstanceOf(IllegalArgumentException.class);
    assertThat(ledger.found(null)).isEmpty();
  }
}
