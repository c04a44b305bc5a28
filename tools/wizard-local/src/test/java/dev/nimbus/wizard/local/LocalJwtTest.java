package dev.nimbus.wizard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LocalJwtTest {
  private final Clock now = Clock.fixed(Instant.parse("2026-11-30T08:00:00Z"), ZoneOffset.UTC);

  @Test
  void aTokenItIssuedCarriesTheTenantClaimTheFunctionReads() {
    LocalJwt jwt = new LocalJwt(now);

    var claims = jwt.verify(jwt.issue("acme", "ann")).orElseThrow();

    assertThat(claims).containsEntry("custom:tenant", "acme").containsEntry("email", "ann@local");
  }

  @Test
  void forgedExpiredOrForeignTokensAreRefused() {
    LocalJwt jwt = new LocalJwt(now);
    String token = jwt.issue("acme", "ann");
    String[] parts = token.split("\\.");
    String otherTenant =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                    .replace("acme", "evil")
                    .getBytes());

    assertThat(jwt.verify(parts[0] + "." + otherTenant + "." + parts[2])).isEmpty();
    assertThat(new LocalJwt(now).verify(token)).isEmpty();
    assertThat(jwt.verify("not.a.token")).isEmpty();
    assertThat(jwt.verify(null)).isEmpty();
    LocalJwt later = new LocalJwt(Clock.offset(now, Duration.ofHours(2)));
    assertThat(later.verify(later.issue("acme", "ann"))).isPresent();
    // The same key two hours on: the first token has expired.
    assertThat(jwtAt(jwt, Duration.ofHours(2)).verify(token)).isEmpty();
  }

  private static LocalJwt jwtAt(LocalJwt original, Duration offset) {
    return original.withClock(Clock.offset(original.clock(), offset));
  }
}
