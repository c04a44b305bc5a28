package dev.nimbus.proxmox.client;

import dev.nimbus.model.Secret;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Removes every known secret (token secret, extra header values, password during login, ticket,
 * CSRF token) from text that came from the server or the network stack, before it can reach an
 * exception message or a log line. Defence in depth: Proxmox does not echo secrets, but a proxy or
 * a tunnel in between might.
 */
final class Redactor implements UnaryOperator<String> {
  private static final String MASK = "****";
  private static final int MIN_PARTIAL = 4;
  // PVEAPIToken=user@realm!tokenid=<secret> (also with a space or a colon after PVEAPIToken).
  private static final Pattern TOKEN_HEADER =
      Pattern.compile("(PVEAPIToken[=: ]+[^=\\s\"']+=)[^\\s\"',;)]+");
  private static final Pattern AUTH_COOKIE = Pattern.compile("(PVEAuthCookie=)[^\\s\"',;)]+");
  private final Set<Secret> secrets = ConcurrentHashMap.newKeySet();

  void add(Secret secret) {
    secrets.add(secret);
  }

  void remove(Secret secret) {
    secrets.remove(secret);
  }

  @Override
  public String apply(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (Secret secret : secrets) {
      if (secret.isDestroyed()) {
        continue;
      }
      String value = secret.reveal();
      if (value.isEmpty()) {
        continue;
      }
      if (out.contains(value)) {
        out = out.replace(value, MASK);
      }
      out = maskTrailingPart(out, value);
    }
    // Credentials in the forms a middlebox echoes them, whether or not this client knows them
    // (an old ticket, another token that went through the same tunnel).
    out = TOKEN_HEADER.matcher(out).replaceAll("$1" + MASK);
    out = AUTH_COOKIE.matcher(out).replaceAll("$1" + MASK);
    return out;
  }

  /**
   * Masks the start of a secret at the very end of the text: an echo that something on the way (a
   * proxy's error page, a log line with a length limit) already cut keeps only that start.
   */
  private static String maskTrailingPart(String text, String secret) {
    int max = Math.min(secret.length() - 1, text.length());
    for (int n = max; n >= MIN_PARTIAL; n--) {
      if (text.regionMatches(text.length() - n, secret, 0, n)) {
        return text.substring(0, text.length() - n) + MASK;
      }
    }
    return text;
  }
}
