package dev.nimbus.wizard.local;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * Local stand-in for Cognito and the API Gateway JWT authorizer: signs HS256 tokens with a key made
 * at start (never written anywhere) and verifies them (signature, issuer, expiry) before a request
 * reaches the function, which then sees the claims exactly as the authorizer would pass them.
 */
final class LocalJwt {
  static final String ISSUER = "nimbus-local-sign-in";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final byte[] key;
  private final Clock clock;

  LocalJwt(Clock clock) {
    this(newKey(), clock);
  }

  private LocalJwt(byte[] key, Clock clock) {
    this.key = key;
    this.clock = clock;
  }

  private static byte[] newKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  /** The same key read at another time (tests). */
  LocalJwt withClock(Clock other) {
    return new LocalJwt(key, other);
  }

  Clock clock() {
    return clock;
  }

  String issue(String tenant, String user) {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", "local-" + user);
    claims.put("email", user + "@local");
    claims.put("custom:tenant", tenant);
    claims.put("iat", now);
    claims.put("exp", now + 3600);
    String head =
        B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String body = B64.encodeToString(JSON.writeValueAsBytes(claims));
    return head + "." + body + "." + B64.encodeToString(sign(head + "." + body));
  }

  /** The claims as strings (as the HTTP API's authorizer passes them), if the token is valid. */
  Optional<Map<String, String>> verify(String token) {
    if (token == null) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    byte[] expected = sign(parts[0] + "." + parts[1]);
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(expected, given)) {
      return Optional.empty();
    }
    Map<String, String> claims = new LinkedHashMap<>();
    JSON.readTree(Base64.getUrlDecoder().decode(parts[1]))
        .properties()
        .forEach(e -> claims.put(e.getKey(), e.getValue().asString()));
    if (!ISSUER.equals(claims.get("iss"))
        || Long.parseLong(claims.getOrDefault("exp", "0")) < clock.instant().getEpochSecond()) {
      return Optional.empty();
    }
    return Optional.of(claims);
  }

  private byte[] sign(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
