package dev.nimbus.model;

/**
 * Rules for native keys: the provider's own name for a resource within one connection, such as
 * {@code qemu/101}, {@code node/pve1} or {@code storage/pve1/local}. Keys are stable across runs
 * and must not depend on volatile placement when the resource keeps its identity (a migrated VM).
 */
public final class NativeKeys {
  /** Long enough for nested pool paths and SDN names, short enough for a DynamoDB sort key. */
  public static final int MAX_LENGTH = 512;

  private NativeKeys() {}

  /**
   * Returns the key when it is non-blank, at most {@link #MAX_LENGTH} chars and has no controls.
   */
  public static String requireValid(String nativeKey) {
    if (nativeKey == null || nativeKey.isBlank()) {
      throw new IllegalArgumentException("native key must not be blank");
    }
    if (nativeKey.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "native key longer than " + MAX_LENGTH + " characters: " + nativeKey.substring(0, 40));
    }
    for (int i = 0; i < nativeKey.length(); i++) {
      if (Character.isISOControl(nativeKey.charAt(i))) {
        throw new IllegalArgumentException("native key contains a control character");
      }
    }
    return nativeKey;
  }
}
