package dev.nimbus.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * A secret held in memory only: a Proxmox API token secret, a password, a webhook key. Its {@code
 * toString} shows no part of it, it has no getter a JSON mapper would pick up, and {@link
 * #destroy()} overwrites it once the single use is done. Equality is identity, so a secret never
 * leaks through a comparison in a log or an assertion message.
 */
public final class Secret implements AutoCloseable {
  private final char[] value;
  private volatile boolean destroyed;

  private Secret(char[] value) {
    this.value = value;
  }

  /** Wraps a secret value; blank values are refused. */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "secret");
    if (value.isBlank()) {
      throw new IllegalArgumentException("secret must not be blank");
    }
    return new Secret(value.toCharArray());
  }

  /** Wraps a copy of the characters; the caller may wipe its array afterwards. */
  public static Secret of(char[] value) {
    Objects.requireNonNull(value, "secret");
    if (value.length == 0) {
      throw new IllegalArgumentException("secret must not be blank");
    }
    return new Secret(value.clone());
  }

  /**
   * The plain value, for the one place that must send it (an HTTP header, a KMS call). Do not keep
   * or log the returned string.
   */
  public String reveal() {
    if (destroyed) {
      throw new IllegalStateException("secret was destroyed after use");
    }
    return new String(value);
  }

  /** Applies {@code use} to the plain value and destroys the secret afterwards. */
  public <T> T useOnce(Function<String, T> use) {
    try {
      return use.apply(reveal());
    } finally {
      destroy();
    }
  }

  /** The number of characters, which is not secret and helps validation messages. */
  public int length() {
    return value.length;
  }

  /** Overwrites the value; any later {@link #reveal()} fails. */
  public void destroy() {
    Arrays.fill(value, '\0');
    destroyed = true;
  }

  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public void close() {
    destroy();
  }

  @Override
  public String toString() {
    return "Secret[****]";
  }
}
