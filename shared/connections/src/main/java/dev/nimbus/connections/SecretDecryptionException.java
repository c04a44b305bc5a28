package dev.nimbus.connections;

/**
 * A stored secret could not be decrypted: it belongs to another tenant, connection or field, it was
 * altered, or its key is unusable. The message names the context, never any secret bytes.
 */
public final class SecretDecryptionException extends ConnectionException {
  public SecretDecryptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
