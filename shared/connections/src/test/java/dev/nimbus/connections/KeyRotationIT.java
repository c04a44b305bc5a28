package dev.nimbus.connections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Key rotation against the emulator. The tests share the class's table and rotation covers the
 * whole table, so each test starts from an empty table and creates its own connections.
 */
@ExtendWith(AwsEmulatorExtension.class)
class KeyRotationIT {
  private final AwsTestEnvironment aws;
  private final DynamoDbClient dynamo;
  private final KmsClient kms;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-04T10:00:00Z"));
  private final HookedCipher cipher;
  private final ConnectionService service;
  private String tenant;
  private String otherTenant;

  KeyRotationIT(AwsTestEnvironment aws) {
    this.aws = aws;
    this.dynamo = aws.clients().dynamoDb();
    this.kms = aws.clients().kms();
    this.cipher = new HookedCipher(new KmsEnvelopeTokenCipher(kms, aws.keyAlias()));
    this.service =
        new ConnectionService(
            new ConnectionRepository(dynamo, aws.tableName()),
            new ConnectionDirectory(dynamo, aws.tableName()),
            cipher,
            clock);
  }

  @BeforeEach
  void freshTenantsAndEmptyTable() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    tenant = "acme-" + suffix;
    otherTenant = "globex-" + suffix;
    dynamo
        .scanPaginator(b -> b.tableName(aws.tableName()))
        .items()
        .forEach(
            i ->
                dynamo.deleteItem(
                    b ->
                        b.tableName(aws.tableName())
                            .key(java.util.Map.of("PK", i.get("PK"), "SK", i.get("SK")))));
  }

  private String newKey() {
    return kms.createKey(b -> b.description("rotation target")).keyMetadata().keyId();
  }

  @Test
  void everyConnectionOfEveryTenantIsReEncryptedUnderTheNewKeyAndStillResolves() {
    Connection a = service.create(tenant, TestData.draft("lab"), "alice@acme");
    Connection b = service.create(otherTenant, TestData.draft("edge"), "bob@globex");
    String newKey = newKey();

    RotationReport report = service.rotateAll(newKey, "ops@nimbus");

    assertThat(report).isEqualTo(new RotationReport(2, 0, List.of()));
    for (ConnectionRef ref : List.of(a.ref(), b.ref())) {
      Connection rotated = service.find(ref).orElseThrow();
      assertThat(rotated.tokenSecret().keyId()).endsWith(newKey);
      assertThat(rotated.secretHeaders().values()).allMatch(e -> e.keyId().endsWith(newKey));
      assertThat(rotated.version()).isEqualTo(2);
      try (ResolvedConnection r = service.resolve(ref)) {
        assertThat(r.tokenSecret().reveal()).isEqualTo(TestData.TOKEN_SECRET);
        assertThat(r.secretHeaders().get("CF-Access-Client-Secret").reveal())
            .isEqualTo(TestData.HEADER_SECRET);
      }
      AuditEntry last = service.auditTrail(ref).getLast();
      assertThat(last.action()).isEqualTo(AuditAction.ROTATED);
      assertThat(last.actor()).isEqualTo("ops@nimbus");
      assertThat(last.changedFields())
          .containsExactly("tokenSecret", "secretHeaders[CF-Access-Client-Secret]");
    }
  }

  @Test
  void aRepeatedRotationSkipsConnectionsAlreadyUnderTheNewKey() {
    service.create(tenant, TestData.draft("lab"), "alice@acme");
    String newKey = newKey();
    service.rotateAll(newKey, "ops@nimbus");

    RotationReport again = service.rotateAll(newKey, "ops@nimbus");

    assertThat(again).isEqualTo(new RotationReport(0, 1, List.of()));
  }

  @Test
  void retargetingTheAliasThenRotatingMovesOldSecretsWhileNewOnesAlreadyUseTheNewKey() {
    Connection old = service.create(tenant, TestData.draft("lab"), "alice@acme");
    String newKey = newKey();
    String oldKey = aws.keyId();
    try {
      kms.updateAlias(b -> b.aliasName(aws.keyAlias()).targetKeyId(newKey));
      Connection fresh = service.create(tenant, TestData.draft("new"), "alice@acme");

      RotationReport report = service.rotateAll(aws.keyAlias(), "ops@nimbus");

      assertThat(fresh.tokenSecret().keyId()).endsWith(newKey);
      assertThat(report).isEqualTo(new RotationReport(1, 1, List.of()));
      assertThat(service.find(old.ref()).orElseThrow().tokenSecret().keyId()).endsWith(newKey);
    } finally {
      kms.updateAlias(b -> b.aliasName(aws.keyAlias()).targetKeyId(oldKey));
    }
  }

  @Test
  void anEditDuringRotationIsRetriedNotLostAndReadersKeepWorking() {
    Connection a = service.create(tenant, TestData.draft("lab"), "alice@acme");
    Connection b = service.create(tenant, TestData.draft("edge"), "alice@acme");
    String newKey = newKey();
    List<String> readDuringRotation = new ArrayList<>();
    cipher.beforeFirstReEncrypt =
        ref -> {
          // A user renames the connection being rotated, after rotation read it ...
          Connection current = service.find(ref).orElseThrow();
          service.update(ref, current.version(), renamed(current.settings()), "bob@acme");
          // ... and discovery resolves both connections while rotation is half done.
          for (ConnectionRef r : List.of(a.ref(), b.ref())) {
            try (ResolvedConnection resolved = service.resolve(r)) {
              readDuringRotation.add(resolved.tokenSecret().reveal());
            }
          }
        };

    RotationReport report = service.rotateAll(newKey, "ops@nimbus");

    assertThat(report).isEqualTo(new RotationReport(2, 0, List.of()));
    assertThat(readDuringRotation).containsOnly(TestData.TOKEN_SECRET).hasSize(2);
    ConnectionRef edited = cipher.firstReEncrypted;
    Connection after = service.find(edited).orElseThrow();
    assertThat(after.name()).isEqualTo("Renamed during rotation");
    assertThat(after.tokenSecret().keyId()).endsWith(newKey);
    assertThat(service.auditTrail(edited))
        .extracting(AuditEntry::action)
        .containsExactly(AuditAction.CREATED, AuditAction.UPDATED, AuditAction.ROTATED);
  }

  @Test
  void aFailedRotationLeavesEveryConnectionWorkingUnderItsOldKey() {
    Connection a = service.create(tenant, TestData.draft("lab"), "alice@acme");

    RotationReport report =
        service.rotateAll("arn:aws:kms:us-east-1:000000000000:key/" + UUID.randomUUID(), "ops");

    assertThat(report.failed()).containsExactly(a.ref());
    assertThat(report.rotated()).isZero();
    try (ResolvedConnection r = service.resolve(a.ref())) {
      assertThat(r.tokenSecret().reveal()).isEqualTo(TestData.TOKEN_SECRET);
    }
  }

  private static ConnectionSettings renamed(ConnectionSettings s) {
    return new ConnectionSettings(
        "Renamed during rotation",
        s.endpoint(),
        s.proxy(),
        s.tls(),
        s.tokenId(),
        s.scope(),
        s.schedule());
  }

  /** The real cipher, with a hook that runs once just before the first re-encryption. */
  static final class HookedCipher implements TokenCipher {
    private final TokenCipher delegate;
    java.util.function.Consumer<ConnectionRef> beforeFirstReEncrypt = ref -> {};
    ConnectionRef firstReEncrypted;

    HookedCipher(TokenCipher delegate) {
      this.delegate = delegate;
    }

    @Override
    public EncryptedSecret encrypt(Secret secret, SecretContext context) {
      return delegate.encrypt(secret, context);
    }

    @Override
    public Secret decrypt(EncryptedSecret encrypted, SecretContext context) {
      return delegate.decrypt(encrypted, context);
    }

    @Override
    public EncryptedSecret reEncrypt(
        EncryptedSecret encrypted, SecretContext context, String newKeyId) {
      if (firstReEncrypted == null) {
        firstReEncrypted = context.ref();
        beforeFirstReEncrypt.accept(context.ref());
      }
      return delegate.reEncrypt(encrypted, context, newKeyId);
    }

    @Override
    public boolean isEncryptedUnder(EncryptedSecret encrypted, String keyId) {
      return delegate.isEncryptedUnder(encrypted, keyId);
    }
  }
}
