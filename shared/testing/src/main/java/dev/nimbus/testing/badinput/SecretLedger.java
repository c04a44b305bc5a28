package dev.nimbus.testing.badinput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The secrets a test or campaign handed to the product (token secrets, passwords, header values),
 * and a scan of any output for them: verbatim or Base64-encoded at any alignment, so a secret that
 * reached a log line, an answer or a stored item wrapped in Base64 (an encoded header, a blob
 * attribute) is found too.
 *
 * <p>The scan slides a window of {@value #WINDOW} characters over the text and looks each window up
 * in a map of pattern prefixes: linear in the text, whatever the number of secrets (a campaign
 * registers thousands and scans megabytes of log).
 */
public final class SecretLedger {
  /** Shortest secret accepted: shorter strings would match by chance in a large log. */
  public static final int WINDOW = 12;

  private final Set<String> secrets = new LinkedHashSet<>();
  private final Map<String, List<Pattern>> byPrefix = new HashMap<>();

  /** A pattern to find and the secret it stands for. */
  private record Pattern(String text, String secret) {}

  /** A fresh secret, {@code prefix} followed by a random UUID, registered. */
  public synchronized String fresh(String prefix) {
    String secret = prefix + UUID.randomUUID();
    add(secret);
    return secret;
  }

  /** Registers a secret the product was given (at least {@value #WINDOW} characters). */
  public synchronized void add(String secret) {
    if (secret == null || secret.length() < WINDOW) {
      throw new IllegalArgumentException(
          "a secret to scan for needs at least " + WINDOW + " characters");
    }
    if (!secrets.add(secret)) {
      return;
    }
    index(secret, secret);
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    // Base64 encodes 3 bytes as 4 characters: inside a longer encoded text the secret starts at
    // one of 3 offsets within a group. For each, keep the characters that depend on the secret's
    // bytes only (whole groups), which appear in any encoding of a text containing it.
    for (int shift = 0; shift < 3; shift++) {
      byte[] shifted = new byte[shift + bytes.length];
      System.arraycopy(bytes, 0, shifted, shift, bytes.length);
      String encoded = Base64.getEncoder().encodeToString(shifted);
      int start = shift == 0 ? 0 : 4;
      int end = (shifted.length / 3) * 4;
      if (end - start >= WINDOW) {
        String core = encoded.substring(start, end);
        index(core, secret);
        index(core.replace('+', '-').replace('/', '_'), secret);
      }
    }
  }

  private void index(String pattern, String secret) {
    List<Pattern> list =
        byPrefix.computeIfAbsent(pattern.substring(0, WINDOW), k -> new ArrayList<>(1));
    if (list.stream().noneMatch(p -> p.text().equals(pattern))) {
      list.add(new Pattern(pattern, secret));
    }
  }

  /** How many secrets are registered. */
  public synchronized int size() {
    return secrets.size();
  }

  /** Whether {@code text} is one of the registered secrets. */
  public synchronized boolean contains(String text) {
    return secrets.contains(text);
  }

  /**
   * Every occurrence of a registered secret in {@code text} (verbatim or Base64), as the secret
   * found; empty when the text is clean.
   */
  public synchronized List<String> found(String text) {
    List<String> out = new ArrayList<>();
    if (text == null || text.length() < WINDOW) {
      return out;
    }
    for (int i = 0; i + WINDOW <= text.length(); i++) {
      List<Pattern> candidates = byPrefix.get(text.substring(i, i + WINDOW));
      if (candidates == null) {
        continue;
      }
      for (Pattern p : candidates) {
        if (text.startsWith(p.text(), i)) {
          out.add(p.secret());
          // One finding per occurrence: skip what this match covered.
          i += p.text().length() - 1;
          break;
        }
      }
    }
    return out;
  }
}
