package dev.nimbus.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KmsEnvelopeTokenCipherTest {
  private static final ConnectionRef REF = new ConnectionRef("acme", "lab");
  private static final SecretContext TOKEN = SecretContext.tokenSecret(REF);

  private final FakeKms kms = new FakeKms(true, "key-1", "key-2");
  private final KmsEnvelopeTokenCipher cipher = new KmsEnvelopeTokenCipher(kms, "alias/key-1");

  @Test
  void aSecretEncryptedForAConnectionDecryptsToTheSameValue() {
    EncryptedSecret stored = cipher.encrypt(Secret.of(TestData.TOKEN_SECRET), TOKEN);

    try (Secret back = cipher.decrypt(stored, TOKEN)) {
      assertThat(back.reveal()).isEqualTo(TestData.TOKEN_SECRET);
    }
  }

  @Test
  void theStoredFormIsVersionOneWithA96BitIvAndA128BitTagAndNamesTheKey() {
    EncryptedSecret stored = cipher.encrypt(Secret.of(TestData.TOKEN_SECRET), TOKEN);

    assertThat(stored.formatVersion()).isEqualTo(1);
    assertThat(stored.keyId()).isEqualTo(FakeKms.arn("key-1"));
    assertThat(stored.iv()).hasSize(12);
    assertThat(stored.ciphertext()).hasSize(TestData.TOKEN_SECRET.length() + 16);
    assertThat(new String(stored.ciphertext(), StandardCharsets.ISO_8859_1))
        .doesNotContain(TestData.TOKEN_SECRET);
  }

  @Test
  void everySecretGetsItsOwnDataKeyAndIv() {
    EncryptedSecret a = cipher.encrypt(Secret.of(TestData.TOKEN_SECRET), TOKEN);
    EncryptedSecret b = cipher.encrypt(Secret.of(TestData.TOKEN_SECRET), TOKEN);

    assertThat(kms.generateDataKeyCalls).isEqualTo(2);
    assertThat(a.iv()).isNotEqualTo(b.iv());
    assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
  }

  @Test
  void aCiphertextCopiedToAnotherConnectionTenantOrFieldDoesNotDecrypt() {
    EncryptedSecret stored = cipher.encrypt(Secret.of(TestData.TOKEN_SECRET), TOKEN);

    for (SecretContext other :
        new SecretContext[] {
          SecretContext.tokenSecret(new ConnectionRef("acme", "prod")),
          SecretContext.tokenSecret(new ConnectionRef("globex", "lab")),
          SecretContext.header(REF, "CF-Access-Client-Secret")
        }) {
      assertThatThrownBy(() -> cipher.decrypt(stored, other))
          .isInstanceOf(SecretDecryptionException.class)
          .hasMessageContaining(other.ref().toString());
    }
  }

  @Test
  void theLocalLayerIsBoundToTheContextEvenIfKmsIgnoredIt() {
    FakeKms laxKms = new FakeKms(false, "key-1");
    var laxCipher = new KmsEnvelopeTokenCipher(laxKms, "key-1");
    EncryptedSecret stored = laxCipher.encrypt(Secret.of(TestData.TOKEN_SECRET), TOKEN);

    assertThatThrownBy(
            () ->
                laxCipher.decrypt(
                    stored, SecretContext.tokenSecret(new ConnectionRef("acme", "x"))))
        .isInstanceOf(SecretDecryptionException.class)
        .hasMessageContaining("altered or belongs to another connection");
  }

  @Test
  void anAlteredCiphertextIsRefused() {
    EncryptedSecret stored = cipher.encrypt(Secret.of(TestData.TOKEN_SECRET), TOKEN);
    byte[] altered = stored.ciphertext();
    altered[0] ^= 1;
    EncryptedSecret tampered =
        new EncryptedSecret(1, stored.keyId(), stored.encryptedDataKey(), stored.iv(), altered);

    assertThatThrownBy(() -> cipher.decrypt(tampered, TOKEN))
        .isInstanceOf(SecretDecryptionException.class);
  }

  @Test
  void anUnknownFormatVersionIsRefusedWithItsNumber() {
    EncryptedSecret stored = cipher.encrypt(Secret.of(TestData.TOKEN_SECRET), TOKEN);
    EncryptedSecret future =
        new EncryptedSecret(
            2, stored.keyId(), stored.encryptedDataKey(), stored.iv(), stored.ciphertext());

    assertThatThrownBy(() -> cipher.decrypt(future, TOKEN))
        .isInstanceOf(SecretDecryptionException.class)
        .hasMessageContaining("format 2");
  }

  @Test
  void reEncryptionMovesTheDataKeyToTheNewKeyAndKeepsTheCiphertext() {
    EncryptedSecret stored = cipher.encrypt(Secret.of(TestData.TOKEN_SECRET), TOKEN);

    EncryptedSecret moved = cipher.reEncrypt(stored, TOKEN, "alias/key-2");

    assertThat(moved.keyId()).isEqualTo(FakeKms.arn("key-2"));
    assertThat(moved.ciphertext()).isEqualTo(stored.ciphertext());
    assertThat(cipher.isEncryptedUnder(moved, "alias/key-2")).isTrue();
    assertThat(cipher.isEncryptedUnder(stored, "alias/key-2")).isFalse();
    try (Secret back = cipher.decrypt(moved, TOKEN)) {
      assertThat(back.reveal()).isEqualTo(TestData.TOKEN_SECRET);
    }
  }

  @Test
  void encryptingLeavesTheCallersSecretUsable() {
    Secret secret = Secret.of(TestData.TOKEN_SECRET);
    cipher.encrypt(secret, TOKEN);

    assertThat(secret.isDestroyed()).isFalse();
  }

  @Test
  void anEncryptedSecretPrintsNeitherItsKeyMaterialNorItsCiphertext() {
    EncryptedSecret stored = cipher.encrypt(Secret.of(TestData.TOKEN_SECRET), TOKEN);

    assertThat(stored.toString())
        .startsWith("EncryptedSecret[v1, key=" + FakeKms.arn("key-1"))
        .doesNotContain(java.util.HexFormat.of().formatHex(stored.ciphertext()))
        .doesNotContain(TestData.TOKEN_SECRET);
  }
}
