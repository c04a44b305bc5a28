package dev.nimbus.pvesim;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 time-based one-time codes as Proxmox's TOTP factor computes them: HMAC-SHA1, 30-second
 * steps, 6 digits, Base32 secrets; one step of clock drift is accepted either way. Public so tests
 * can act as the user's authenticator app.
 */
public final class Totp {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final long STEP_SECONDS = 30;

  private Totp() {}

  /** The 6-digit code for {@code base32Secret} at {@code at}. */
  public static String code(String base32Secret, Instant at) {
    return code(base32Decode(base32Secret), at.getEpochSecond() / STEP_SECONDS);
  }

  static boolean verify(String base32Secret, String code, Instant at) {
    if (code == null || !code.matches("\\d{6}")) {
      return false;
    }
    byte[] key = base32Decode(base32Secret);
    long step = at.getEpochSecond() / STEP_SECONDS;
    for (long s = step - 1; s <= step + 1; s++) {
      if (MessageDigest.isEqual(code(key, s).getBytes(), code.getBytes())) {
        return true;
      }
    }
    return false;
  }

  private static String code(byte[] key, long step) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      byte[] counter = new byte[8];
      for (int i = 7; i >= 0; i--) {
        counter[i] = (byte) (step & 0xff);
        step >>>= 8;
      }
      byte[] h = mac.doFinal(counter);
      int offset = h[h.length - 1] & 0x0f;
      int binary =
          ((h[offset] & 0x7f) << 24)
              | ((h[offset + 1] & 0xff) << 16)
              | ((h[offset + 2] & 0xff) << 8)
              | (h[offset + 3] & 0xff);
      return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String base32(byte[] data) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  static byte[] base32Decode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
      int v = ALPHABET.indexOf(c);
      if (v < 0) {
        continue;
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }
}
