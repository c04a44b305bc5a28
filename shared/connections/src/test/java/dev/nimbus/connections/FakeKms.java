package dev.nimbus.connections;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ReEncryptRequest;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;

/**
 * An in-memory stand-in for KMS for unit tests: wrapped data keys are random handles it remembers
 * with their key and encryption context. With {@code enforceContext = false} it behaves like a
 * broken KMS that ignores the context, which shows the local AES-GCM layer is bound on its own.
 */
final class FakeKms implements KmsClient {
  private record Wrapped(String keyArn, byte[] dataKey, Map<String, String> context) {}

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Wrapped> wrapped = new ConcurrentHashMap<>();
  private final Map<String, String> aliases = new HashMap<>();
  private final boolean enforceContext;
  int generateDataKeyCalls;

  FakeKms(boolean enforceContext, String... keyIds) {
    this.enforceContext = enforceContext;
    for (String id : keyIds) {
      aliases.put(id, arn(id));
      aliases.put("alias/" + id, arn(id));
      aliases.put(arn(id), arn(id));
    }
  }

  static String arn(String keyId) {
    return "arn:aws:kms:us-east-1:000000000000:key/" + keyId;
  }

  private String resolve(String keyId) {
    String arn = aliases.get(keyId);
    if (arn == null) {
      throw (NotFoundException)
          NotFoundException.builder()
              .awsErrorDetails(AwsErrorDetails.builder().errorCode("NotFoundException").build())
              .message("no key " + keyId)
              .build();
    }
    return arn;
  }

  private String wrap(String arn, byte[] dataKey, Map<String, String> context) {
    byte[] handle = new byte[32];
    random.nextBytes(handle);
    String h = java.util.HexFormat.of().formatHex(handle);
    wrapped.put(h, new Wrapped(arn, dataKey.clone(), Map.copyOf(context)));
    return h;
  }

  private Wrapped unwrap(SdkBytes blob, Map<String, String> context) {
    Wrapped w = wrapped.get(blob.asUtf8String());
    if (w == null || (enforceContext && !w.context().equals(context))) {
      throw (InvalidCiphertextException)
          InvalidCiphertextException.builder()
              .awsErrorDetails(
                  AwsErrorDetails.builder().errorCode("InvalidCiphertextException").build())
              .message("invalid ciphertext")
              .build();
    }
    return w;
  }

  @Override
  public GenerateDataKeyResponse generateDataKey(GenerateDataKeyRequest request) {
    generateDataKeyCalls++;
    String arn = resolve(request.keyId());
    byte[] key = new byte[32];
    random.nextBytes(key);
    String handle = wrap(arn, key, request.encryptionContext());
    return GenerateDataKeyResponse.builder()
        .keyId(arn)
        .plaintext(SdkBytes.fromByteArray(key))
        .ciphertextBlob(SdkBytes.fromUtf8String(handle))
        .build();
  }

  @Override
  public DecryptResponse decrypt(DecryptRequest request) {
    Wrapped w = unwrap(request.ciphertextBlob(), request.encryptionContext());
    return DecryptResponse.builder()
        .keyId(w.keyArn())
        .plaintext(SdkBytes.fromByteArray(w.dataKey()))
        .build();
  }

  @Override
  public ReEncryptResponse reEncrypt(ReEncryptRequest request) {
    Wrapped w = unwrap(request.ciphertextBlob(), request.sourceEncryptionContext());
    String arn = resolve(request.destinationKeyId());
    String handle = wrap(arn, w.dataKey(), request.destinationEncryptionContext());
    return ReEncryptResponse.builder()
        .keyId(arn)
        .sourceKeyId(w.keyArn())
        .ciphertextBlob(SdkBytes.fromUtf8String(handle))
        .build();
  }

  @Override
  public DescribeKeyResponse describeKey(DescribeKeyRequest request) {
    String arn = resolve(request.keyId());
    return DescribeKeyResponse.builder().keyMetadata(m -> m.arn(arn).keyId(arn)).build();
  }

  @Override
  public String serviceName() {
    return "kms";
  }

  @Override
  public void close() {}
}
