package dev.nimbus.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.kms.KmsClient;

@ExtendWith(AwsEmulatorExtension.class)
class KmsEnvelopeTokenCipherIT {
  private static final ConnectionRef REF = new ConnectionRef("acme", "lab");

  @Test
  void aSecretRoundTripsThroughKmsUnderTheConfiguredAlias(AwsTestEnvironment aws) {
    try (KmsClient kms = aws.clients().kms()) {
      var cipher = new KmsEnvelopeTokenCipher(kms, aws.keyAlias());

      EncryptedSecret stored =
          cipher.encrypt(Secret.of(TestData.TOKEN_SECRET), SecretContext.tokenSecret(REF));

      assertThat(cipher.isEncryptedUnder(stored, aws.keyId())).isTrue();
      try (Secret back = cipher.decrypt(stored, SecretContext.tokenSecret(REF))) {
        assertThat(back.reveal()).isEqualTo(TestData.TOKEN_SECRET);
      }
    }
  }

  @Test
  void kmsRefusesTheDataKeyUnderAnotherTenantConnectionOrPurpose(AwsTestEnvironment aws) {
    try (KmsClient kms = aws.clients().kms()) {
      var cipher = new KmsEnvelopeTokenCipher(kms, aws.keyAlias());
      EncryptedSecret stored =
          cipher.encrypt(Secret.of(TestData.TOKEN_SECRET), SecretContext.tokenSecret(REF));

      for (SecretContext wrong :
          new SecretContext[] {
            SecretContext.tokenSecret(new ConnectionRef("globex", "lab")),
            SecretContext.tokenSecret(new ConnectionRef("acme", "prod")),
            SecretContext.header(REF, "X-Api-Key")
          }) {
        assertThatThrownBy(() -> cipher.decrypt(stored, wrong))
            .isInstanceOf(SecretDecryptionException.class)
            .hasMessageContaining("KMS refused the data key");
      }
    }
  }

  @Test
  void reEncryptionUnderASecondKeyStillDecryptsUnderTheSameContext(AwsTestEnvironment aws) {
    try (KmsClient kms = aws.clients().kms()) {
      String newKey = kms.createKey(b -> b.description("rotation target")).keyMetadata().keyId();
      var cipher = new KmsEnvelopeTokenCipher(kms, aws.keyAlias());
      EncryptedSecret stored =
          cipher.encrypt(Secret.of(TestData.TOKEN_SECRET), SecretContext.tokenSecret(REF));

      EncryptedSecret moved = cipher.reEncrypt(stored, SecretContext.tokenSecret(REF), newKey);

      assertThat(cipher.isEncryptedUnder(moved, newKey)).isTrue();
      assertThat(cipher.isEncryptedUnder(moved, aws.keyId())).isFalse();
      try (Secret back = cipher.decrypt(moved, SecretContext.tokenSecret(REF))) {
        assertThat(back.reveal()).isEqualTo(TestData.TOKEN_SECRET);
      }
    }
  }
}
