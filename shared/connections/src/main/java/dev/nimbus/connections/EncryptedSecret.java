package dev.nimbus.connections;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A secret as stored: envelope-encrypted by a {@link TokenCipher}. Holds the KMS-encrypted data
 * key, the AES-GCM IV and the AES-GCM ciphertext (with its 128-bit tag appended), plus the KMS key
 * that wraps the data key and a format version so the layout can change later without guessing.
 *
 * <p>Nothing here is secret without KMS, but the bytes are still kept out of {@code toString}: they
 * are noise in a log and only invite copy-pasting ciphertexts between connections.
 */
public record EncryptedSecret(
    int formatVersion, String keyId, byte[] encryptedDataKey, byte[] iv, byte[] ciphertext) {

  /** Format 1: KMS GenerateDataKey AES_256, AES-256-GCM, 96-bit IV, AAD = encryption context. */
  public static final int FORMAT_V1 = 1;

  public EncryptedSecret {
    Objects.requireNonNull(keyId, "keyId");
    encryptedDataKey = Objects.requireNonNull(encryptedDataKey, "encryptedDataKey").clone();
    iv = Objects.requireNonNull(iv, "iv").clone();
    ciphertext = Objects.requireNonNull(ciphertext, "ciphertext").clone();
  }

  @Override
  public byte[] encryptedDataKey() {
    return encryptedDataKey.clone();
  }

  @Override
  public byte[] iv() {
    return iv.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** The same ciphertext with its data key re-wrapped under another KMS key. */
  public EncryptedSecret withDataKey(String newKeyId, byte[] newEncryptedDataKey) {
    return new EncryptedSecret(formatVersion, newKeyId, newEncryptedDataKey, iv, ciphertext);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptedSecret other
        && formatVersion == other.formatVersion
        && keyId.equals(other.keyId)
        && Arrays.equals(encryptedDataKey, other.encryptedDataKey)
        && Arrays.equals(iv, other.iv)
        && Arrays.equals(ciphertext, other.ciphertext);
  }

  @Override
  public int hashCode() {
    return Objects.hash(formatVersion, keyId, Arrays.hashCode(ciphertext));
  }

  @Override
  public String toString() {
    // A short fingerprint of the IV tells two ciphertexts apart in a log without showing them.
    return "EncryptedSecret[v"
        + formatVersion
        + ", key="
        + keyId
        + ", iv="
        + HexFormat.of().formatHex(iv, 0, Math.min(4, iv.length))
        + "…]";
  }
}
