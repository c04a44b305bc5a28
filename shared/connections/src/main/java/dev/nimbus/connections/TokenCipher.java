package dev.nimbus.connections;

import dev.nimbus.model.Secret;

/**
 * Encrypts connection secrets for storage and decrypts them for one use. The seam between the
 * connection store and the key service: {@link KmsEnvelopeTokenCipher} in production.
 */
public interface TokenCipher {

  /** Encrypts under the configured key, bound to {@code context}. The secret is not destroyed. */
  EncryptedSecret encrypt(Secret secret, SecretContext context);

  /**
   * Decrypts a secret stored for {@code context}.
   *
   * @throws SecretDecryptionException if the ciphertext belongs to another context, was altered, or
   *     its key cannot be used
   */
  Secret decrypt(EncryptedSecret encrypted, SecretContext context);

  /**
   * The same secret re-encrypted under {@code newKeyId} (key id, ARN or alias), for key rotation.
   * The result decrypts under the same context; the old ciphertext stays valid as long as its key.
   */
  EncryptedSecret reEncrypt(EncryptedSecret encrypted, SecretContext context, String newKeyId);

  /** Whether {@code encrypted} is already wrapped by the key {@code keyId} (id, ARN or alias). */
  boolean isEncryptedUnder(EncryptedSecret encrypted, String keyId);
}
