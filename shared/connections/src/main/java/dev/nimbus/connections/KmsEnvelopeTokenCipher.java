package dev.nimbus.connections;

import dev.nimbus.model.Secret;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;

/**
 * Envelope encryption with AWS KMS: one fresh AES-256 data key per secret from {@code
 * GenerateDataKey}, the secret encrypted in process with AES-256-GCM, and only the KMS-wrapped data
 * key stored beside the ciphertext. Both layers are bound to the {@link SecretContext}: KMS through
 * the encryption context, GCM through the same context as associated data.
 *
 * <p>Chosen over the AWS Encryption SDK for a smaller Lambda (no extra dependency tree, faster cold
 * start) and a storage format this project owns and documents (see the module README).
 */
public final class KmsEnvelopeTokenCipher implements TokenCipher {
  private static final System.Logger LOG = System.getLogger(KmsEnvelopeTokenCipher.class.getName());
  private static final String AES_GCM = "AES/GCM/NoPadding";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final KmsClient kms;
  private final String keyId;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> keyArns = new ConcurrentHashMap<>();

  /**
   * @param kms the KMS client (built by {@code dev.nimbus.aws.AwsClients})
   * @param keyId the key new secrets are encrypted under: id, ARN or alias ({@code TOKEN_KEY_ID})
   */
  public KmsEnvelopeTokenCipher(KmsClient kms, String keyId) {
    this.kms = Objects.requireNonNull(kms, "kms");
    this.keyId = Objects.requireNonNull(keyId, "keyId");
  }

  @Override
  public EncryptedSecret encrypt(Secret secret, SecretContext context) {
    GenerateDataKeyResponse dataKey;
    try {
      dataKey =
          kms.generateDataKey(
              b ->
                  b.keyId(keyId)
                      .keySpec(DataKeySpec.AES_256)
                      .encryptionContext(context.encryptionContext()));
    } catch (KmsException e) {
      throw new ConnectionException(
          "KMS could not generate a data key under " + keyId + " for " + describe(context), e);
    }
    byte[] key = dataKey.plaintext().asByteArray();
    byte[] plain = secret.reveal().getBytes(StandardCharsets.UTF_8);
    try {
      byte[] iv = new byte[IV_BYTES];
      random.nextBytes(iv);
      Cipher gcm = Cipher.getInstance(AES_GCM);
      gcm.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
      gcm.updateAAD(context.associatedData());
      byte[] ciphertext = gcm.doFinal(plain);
      LOG.log(Level.DEBUG, "encrypted {0} under {1}", describe(context), dataKey.keyId());
      return new EncryptedSecret(
          EncryptedSecret.FORMAT_V1,
          dataKey.keyId(),
          dataKey.ciphertextBlob().asByteArray(),
          iv,
          ciphertext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    } finally {
      // The SDK keeps its own copy of the response bytes; ours, at least, does not linger.
      Arrays.fill(key, (byte) 0);
      Arrays.fill(plain, (byte) 0);
    }
  }

  @Override
  public Secret decrypt(EncryptedSecret encrypted, SecretContext context) {
    requireKnownFormat(encrypted, context);
    DecryptResponse dataKey;
    try {
      dataKey =
          kms.decrypt(
              b ->
                  b.keyId(encrypted.keyId())
                      .ciphertextBlob(SdkBytes.fromByteArray(encrypted.encryptedDataKey()))
                      .encryptionContext(context.encryptionContext()));
    } catch (KmsException e) {
      throw new SecretDecryptionException(
          "the "
              + describe(context)
              + " could not be decrypted: KMS refused the data key ("
              + e.awsErrorDetails().errorCode()
              + "); the ciphertext belongs to another tenant, connection or field, or its key is"
              + " unusable",
          e);
    }
    byte[] key = dataKey.plaintext().asByteArray();
    byte[] plain = null;
    try {
      Cipher gcm = Cipher.getInstance(AES_GCM);
      gcm.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, encrypted.iv()));
      gcm.updateAAD(context.associatedData());
      plain = gcm.doFinal(encrypted.ciphertext());
      return toSecret(plain, context);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new SecretDecryptionException(
          "the "
              + describe(context)
              + " could not be decrypted: the ciphertext was altered or belongs to another"
              + " connection",
          e);
    } catch (GeneralSecurityException e) {
      throw new SecretDecryptionException(
          "the " + describe(context) + " could not be decrypted: " + e.getClass().getSimpleName(),
          e);
    } finally {
      Arrays.fill(key, (byte) 0);
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  /**
   * Re-wraps only the data key with KMS {@code ReEncrypt}: the secret's plaintext never enters this
   * process, and the AES-GCM ciphertext (bound to the context, not to the key) stays as it is.
   */
  @Override
  public EncryptedSecret reEncrypt(
      EncryptedSecret encrypted, SecretContext context, String newKeyId) {
    requireKnownFormat(encrypted, context);
    ReEncryptResponse rewrapped;
    try {
      rewrapped =
          kms.reEncrypt(
              b ->
                  b.ciphertextBlob(SdkBytes.fromByteArray(encrypted.encryptedDataKey()))
                      .sourceKeyId(encrypted.keyId())
                      .sourceEncryptionContext(context.encryptionContext())
                      .destinationKeyId(newKeyId)
                      .destinationEncryptionContext(context.encryptionContext()));
    } catch (KmsException e) {
      throw new SecretDecryptionException(
          "the "
              + describe(context)
              + " could not be re-encrypted under "
              + newKeyId
              + ": KMS answered "
              + e.awsErrorDetails().errorCode(),
          e);
    }
    return encrypted.withDataKey(rewrapped.keyId(), rewrapped.ciphertextBlob().asByteArray());
  }

  @Override
  public boolean isEncryptedUnder(EncryptedSecret encrypted, String keyIdOrAlias) {
    return keyArn(encrypted.keyId()).equals(keyArn(keyIdOrAlias));
  }

  /**
   * A key id or ARN always names the same key, so its ARN is cached; an alias can be re-pointed
   * (that is how a rotation starts), so it is looked up every time.
   */
  private String keyArn(String keyIdOrAlias) {
    if (keyIdOrAlias.startsWith("alias/") || keyIdOrAlias.contains(":alias/")) {
      return describeArn(keyIdOrAlias);
    }
    return keyArns.computeIfAbsent(keyIdOrAlias, this::describeArn);
  }

  private String describeArn(String keyIdOrAlias) {
    try {
      return kms.describeKey(b -> b.keyId(keyIdOrAlias)).keyMetadata().arn();
    } catch (KmsException e) {
      throw new ConnectionException(
          "KMS key "
              + keyIdOrAlias
              + " cannot be used: KMS answered "
              + e.awsErrorDetails().errorCode(),
          e);
    }
  }

  private static void requireKnownFormat(EncryptedSecret encrypted, SecretContext context) {
    if (encrypted.formatVersion() != EncryptedSecret.FORMAT_V1) {
      throw new SecretDecryptionException(
          "the "
              + describe(context)
              + " is stored in format "
              + encrypted.formatVersion()
              + ", which this version does not read",
          null);
    }
  }

  /** Decodes into an array this class owns, so every plaintext copy can be wiped. */
  private static Secret toSecret(byte[] utf8, SecretContext context) {
    char[] buffer = new char[utf8.length];
    CharBuffer out = CharBuffer.wrap(buffer);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    try {
      CoderResult result = decoder.decode(ByteBuffer.wrap(utf8), out, true);
      if (result.isError() || decoder.flush(out).isError()) {
        throw new SecretDecryptionException(
            "the " + describe(context) + " decrypted to bytes that are not UTF-8", null);
      }
      char[] value = Arrays.copyOf(buffer, out.position());
      try {
        return Secret.of(value);
      } finally {
        Arrays.fill(value, '\0');
      }
    } finally {
      Arrays.fill(buffer, '\0');
    }
  }

  private static String describe(SecretContext context) {
    return context.purpose() + " of connection " + context.ref();
  }
}
