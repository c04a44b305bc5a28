package dev.nimbus.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.aws.FaultInjectingProxy;
import dev.nimbus.testing.aws.FaultKind;
import dev.nimbus.testing.aws.FaultPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(AwsEmulatorExtension.class)
class ConnectionServiceIT {
  private static final String NEW_SECRET = "0b7d3e55-1c2a-4f9e-8d6b-a4c3e2f1d0b9";

  private final AwsTestEnvironment aws;
  private final DynamoDbClient dynamo;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-04T10:00:00Z"));
  private final ConnectionService service;
  private final ConnectionDirectory directory;
  private String tenant;
  private String otherTenant;

  ConnectionServiceIT(AwsTestEnvironment aws) {
    this.aws = aws;
    this.dynamo = aws.clients().dynamoDb();
    this.service =
        ConnectionService.create(
            aws.clients(), new ConnectionsConfig(aws.tableName(), aws.keyAlias()), clock);
    this.directory = new ConnectionDirectory(dynamo, aws.tableName());
  }

  @BeforeEach
  void freshTenants() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    tenant = "acme-" + suffix;
    otherTenant = "globex-" + suffix;
  }

  @Test
  void aCreatedConnectionResolvesWithItsSecretsDecrypted() {
    Connection created = service.create(tenant, TestData.draft("lab"), "alice@acme");

    try (ResolvedConnection r = service.resolve(created.ref())) {
      assertThat(r.tokenSecret().reveal()).isEqualTo(TestData.TOKEN_SECRET);
      assertThat(r.secretHeaders().get("CF-Access-Client-Secret").reveal())
          .isEqualTo(TestData.HEADER_SECRET);
      assertThat(r.tokenId()).isEqualTo("discovery@pve!ro");
      assertThat(r.endpoint()).isEqualTo(TestData.settings().endpoint());
    }
    assertThat(created.version()).isEqualTo(1);
    assertThat(created.status()).isEqualTo(ConnectionStatus.PENDING);
    assertThat(service.find(created.ref())).contains(created);
  }

  @Test
  void theStoredItemFollowsTheSharedKeySchemeAndHoldsOnlyCiphertext() {
    service.create(tenant, TestData.draft("lab"), "alice@acme");

    Map<String, AttributeValue> item =
        dynamo
            .getItem(
                b ->
                    b.tableName(aws.tableName())
                        .key(
                            Map.of(
                                "PK", AttributeValue.fromS("TENANT#" + tenant),
                                "SK", AttributeValue.fromS("CONN#lab"))))
            .item();

    assertThat(item.get("itemType").s()).isEqualTo("CONNECTION");
    assertThat(item.get("tokenSecret").m())
        .containsKeys("v", "keyId", "dataKey", "iv", "ciphertext");
    assertThat(item.get("tokenSecret").m().get("keyId").s()).endsWith(aws.keyId());
    assertThat(item.toString()).doesNotContain(TestData.TOKEN_SECRET);
  }

  @Test
  void theDraftsSecretsAreDestroyedOnceEncrypted() {
    ConnectionDraft draft = TestData.draft("lab");
    service.create(tenant, draft, "alice@acme");

    assertThat(draft.tokenSecret().isDestroyed()).isTrue();
    assertThat(draft.secretHeaders().values()).allMatch(Secret::isDestroyed);
  }

  @Test
  void anIdCanBeCreatedOnlyOncePerTenantButAgainInAnotherTenant() {
    service.create(tenant, TestData.draft("lab"), "alice@acme");

    assertThatThrownBy(() -> service.create(tenant, TestData.draft("lab"), "alice@acme"))
        .isInstanceOf(ConnectionAlreadyExistsException.class)
        .hasMessageContaining(tenant + "/lab already exists");
    assertThat(service.create(otherTenant, TestData.draft("lab"), "bob@globex").ref().tenantId())
        .isEqualTo(otherTenant);
  }

  @Test
  void oneTenantCannotReadListChangeDeleteOrResolveAnothersConnection() {
    Connection mine = service.create(tenant, TestData.draft("lab"), "alice@acme");
    ConnectionRef theirView = new ConnectionRef(otherTenant, "lab");

    assertThat(service.find(theirView)).isEmpty();
    assertThat(service.list(otherTenant)).isEmpty();
    assertThat(service.auditTrail(theirView)).isEmpty();
    assertThatThrownBy(() -> service.resolve(theirView))
        .isInstanceOf(ConnectionNotFoundException.class);
    assertThatThrownBy(() -> service.update(theirView, 1, TestData.settings(), "mallory@globex"))
        .isInstanceOf(ConnectionNotFoundException.class);
    assertThatThrownBy(() -> service.delete(theirView, 1, "mallory@globex"))
        .isInstanceOf(ConnectionNotFoundException.class);
    assertThat(service.find(mine.ref())).contains(mine);
  }

  @Test
  void aCallWithoutATenantIsRefused() {
    assertThatThrownBy(() -> service.list(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> service.list("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> service.create(" ", TestData.draft("lab"), "alice"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCiphertextCopiedIntoAnotherTenantsConnectionDoesNotDecrypt() {
    Connection mine = service.create(tenant, TestData.draft("lab"), "alice@acme");
    Connection theirs = service.create(otherTenant, TestData.draft("lab"), "bob@globex");
    var repository = new ConnectionRepository(dynamo, aws.tableName());
    Connection forged =
        theirs
            .withSecrets(theirs.tokenId(), mine.tokenSecret(), theirs.secretHeaders())
            .nextVersion(clock.instant(), "mallory");
    repository.update(forged, theirs.version(), Optional.empty());

    assertThatThrownBy(() -> service.resolve(theirs.ref()))
        .isInstanceOf(SecretDecryptionException.class)
        .hasMessageContaining("token-secret of connection " + otherTenant + "/lab");
  }

  @Test
  void aStaleVersionIsRefusedAndTheFreshOneWins() {
    Connection v1 = service.create(tenant, TestData.draft("lab"), "alice@acme");
    ConnectionSettings renamed = withName(v1.settings(), "Lab (Frankfurt)");
    Connection v2 = service.update(v1.ref(), 1, renamed, "alice@acme");

    assertThatThrownBy(
            () -> service.update(v1.ref(), 1, withName(v1.settings(), "Other"), "bob@acme"))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("since version 1");
    assertThat(v2.version()).isEqualTo(2);
    assertThat(service.find(v1.ref()).orElseThrow().name()).isEqualTo("Lab (Frankfurt)");
  }

  @Test
  void theRepositoryItselfRefusesAWriteOnAStaleVersion() {
    Connection v1 = service.create(tenant, TestData.draft("lab"), "alice@acme");
    service.update(v1.ref(), 1, withName(v1.settings(), "Renamed"), "alice@acme");
    var repository = new ConnectionRepository(dynamo, aws.tableName());

    assertThatThrownBy(
            () -> repository.update(v1.nextVersion(clock.instant(), "bob"), 1, Optional.empty()))
        .isInstanceOf(VersionConflictException.class);
  }

  @Test
  void invalidInputIsRefusedAndNothingIsStored() {
    ConnectionDraft draft =
        new ConnectionDraft(
            "lab", withName(TestData.settings(), ""), Secret.of(TestData.TOKEN_SECRET), Map.of());

    assertThatThrownBy(() -> service.create(tenant, draft, "alice@acme"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("name: is required");
    assertThat(service.list(tenant)).isEmpty();
  }

  @Test
  void replacingTheTokenSecretKeepsTheConnectionIdAndTheNewSecretResolves() {
    Connection v1 = service.create(tenant, TestData.draft("lab"), "alice@acme");
    clock.advance(Duration.ofMinutes(1));

    Connection v2 =
        service.replaceTokenSecret(
            v1.ref(), 1, "discovery@pve!ro2", Secret.of(NEW_SECRET), "alice@acme");

    assertThat(v2.ref()).isEqualTo(v1.ref());
    assertThat(v2.createdAt()).isEqualTo(v1.createdAt());
    try (ResolvedConnection r = service.resolve(v1.ref())) {
      assertThat(r.tokenSecret().reveal()).isEqualTo(NEW_SECRET);
      assertThat(r.tokenId()).isEqualTo("discovery@pve!ro2");
    }
    assertThat(service.auditTrail(v1.ref()).getLast().changedFields())
        .containsExactly("tokenId", "tokenSecret");
  }

  @Test
  void secretHeadersCanBeReplacedAndRemoved() {
    Connection v1 = service.create(tenant, TestData.draft("lab"), "alice@acme");

    Connection v2 =
        service.replaceSecretHeaders(
            v1.ref(), 1, Map.of("CF-Access-Client-Id", Secret.of("id.access")), "alice@acme");
    try (ResolvedConnection r = service.resolve(v1.ref())) {
      assertThat(r.secretHeaders()).containsOnlyKeys("CF-Access-Client-Id");
      assertThat(r.secretHeaders().get("CF-Access-Client-Id").reveal()).isEqualTo("id.access");
    }
    service.replaceSecretHeaders(v1.ref(), v2.version(), Map.of(), "alice@acme");

    assertThat(service.find(v1.ref()).orElseThrow().secretHeaders()).isEmpty();
  }

  @Test
  void theAuditTrailSaysWhoDidWhatAndWhenWithFieldNamesOnly() {
    Connection v1 = service.create(tenant, TestData.draft("lab"), "alice@acme");
    clock.advance(Duration.ofMinutes(1));
    Connection v2 = service.update(v1.ref(), 1, withName(v1.settings(), "Lab 2"), "bob@acme");
    clock.advance(Duration.ofMinutes(1));
    Connection v3 =
        service.replaceTokenSecret(
            v1.ref(), v2.version(), v2.tokenId(), Secret.of(NEW_SECRET), "carol@acme");
    clock.advance(Duration.ofMinutes(1));
    service.delete(v1.ref(), v3.version(), "dave@acme");

    List<AuditEntry> trail = service.auditTrail(v1.ref());

    assertThat(trail)
        .extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::version)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(AuditAction.CREATED, "alice@acme", 1L),
            org.assertj.core.groups.Tuple.tuple(AuditAction.UPDATED, "bob@acme", 2L),
            org.assertj.core.groups.Tuple.tuple(AuditAction.TOKEN_REPLACED, "carol@acme", 3L),
            org.assertj.core.groups.Tuple.tuple(AuditAction.DELETED, "dave@acme", 4L));
    assertThat(trail.get(1).changedFields()).containsExactly("name");
    assertThat(trail.get(1).at()).isEqualTo(Instant.parse("2026-03-04T10:01:00Z"));
    assertThat(trail.toString()).doesNotContain(NEW_SECRET).doesNotContain(TestData.TOKEN_SECRET);
    assertThat(service.find(v1.ref())).isEmpty();
  }

  @Test
  void anUpdateThatChangesNothingWritesNothing() {
    Connection v1 = service.create(tenant, TestData.draft("lab"), "alice@acme");

    Connection same = service.update(v1.ref(), 1, v1.settings(), "alice@acme");

    assertThat(same.version()).isEqualTo(1);
    assertThat(service.auditTrail(v1.ref())).hasSize(1);
  }

  @Test
  void dueConnectionsOfAllTenantsAreFoundAndARunMovesTheNextDueTime() {
    Instant start = clock.instant();
    Connection a = service.create(tenant, TestData.draft("lab"), "alice@acme");
    Connection b = service.create(otherTenant, TestData.draft("edge"), "bob@globex");
    Connection off = service.create(tenant, TestData.draft("off"), "alice@acme");
    service.setEnabled(off.ref(), 1, false, "alice@acme");

    assertThat(directory.dueConnections(start))
        .contains(a.ref(), b.ref())
        .doesNotContain(off.ref());

    Connection afterRun =
        service.recordRun(
            a.ref(), new RunSummary(start, start.plusSeconds(20), true, 42, Optional.empty()));

    assertThat(afterRun.status()).isEqualTo(ConnectionStatus.ACTIVE);
    assertThat(afterRun.nextDueAt()).contains(start.plus(Duration.ofMinutes(15)));
    assertThat(directory.dueConnections(start.plusSeconds(60))).doesNotContain(a.ref());
    assertThat(directory.dueConnections(start.plus(Duration.ofMinutes(15)))).contains(a.ref());
  }

  @Test
  void aDueConnectionIsClaimedOnceSoASlowRunIsNotQueuedTwice() {
    Instant start = clock.instant();
    Connection a = service.create(tenant, TestData.draft("lab"), "alice@acme");

    var first = service.claimDue(a.ref(), start);
    var second = service.claimDue(a.ref(), start.plusSeconds(30));

    assertThat(first).isPresent();
    assertThat(first.get().nextDueAt()).contains(start.plus(Duration.ofMinutes(15)));
    assertThat(second).isEmpty();
    assertThat(directory.dueConnections(start.plusSeconds(30))).doesNotContain(a.ref());
    assertThat(service.claimDue(a.ref(), start.plus(Duration.ofMinutes(15)))).isPresent();
  }

  @Test
  void aClaimAppliedWhoseAnswerWasLostIsStillThisTicksClaim() {
    Instant start = clock.instant();
    Connection a = service.create(tenant, TestData.draft("lab"), "alice@acme");
    // The claim's UpdateItem is applied, then the connection drops before the answer: the SDK
    // retries it, and the retry fails the due-time condition the claim itself moved on.
    try (FaultInjectingProxy proxy =
            FaultInjectingProxy.start(
                aws.endpoint(),
                FaultPlan.none()
                    .injectAt(FaultKind.DROP_AFTER_APPLY, "DynamoDB_20120810.UpdateItem", 0));
        AwsClients faulty =
            AwsClients.create(
                Region.of(aws.region()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
                proxy.endpoint())) {
      ConnectionService throughProxy =
          ConnectionService.create(
              faulty, new ConnectionsConfig(aws.tableName(), aws.keyAlias()), clock);
      DueConnection due =
          new ConnectionDirectory(faulty.dynamoDb(), aws.tableName())
              .due(start).stream().filter(d -> d.ref().equals(a.ref())).findFirst().orElseThrow();

      Optional<Connection> claimed = throughProxy.claimDue(due, start);

      assertThat(proxy.injected(FaultKind.DROP_AFTER_APPLY, "DynamoDB_20120810.UpdateItem"))
          .isEqualTo(1);
      // Reported as claimed (so the tick queues it), moved on exactly once.
      assertThat(claimed).isPresent();
      assertThat(claimed.get().nextDueAt()).contains(start.plus(Duration.ofMinutes(15)));
      assertThat(claimed.get().version()).isEqualTo(a.version() + 1);
    }
    // Another tick's claim of the same slot still loses.
    assertThat(service.claimDue(a.ref(), start.plusSeconds(30))).isEmpty();
  }

  @Test
  void aFailedRunMarksTheConnectionFailingAndADisabledOneStaysDisabled() {
    Instant start = clock.instant();
    Connection a = service.create(tenant, TestData.draft("lab"), "alice@acme");
    Connection off = service.create(tenant, TestData.draft("off"), "alice@acme");
    service.setEnabled(off.ref(), 1, false, "alice@acme");
    RunSummary failed =
        new RunSummary(start, start.plusSeconds(3), false, 0, Optional.of("401: token rejected"));

    assertThat(service.recordRun(a.ref(), failed).status()).isEqualTo(ConnectionStatus.FAILING);
    Connection stillOff = service.recordRun(off.ref(), failed);
    assertThat(stillOff.status()).isEqualTo(ConnectionStatus.DISABLED);
    assertThat(stillOff.nextDueAt()).isEmpty();
  }

  private static ConnectionSettings withName(ConnectionSettings s, String name) {
    return new ConnectionSettings(
        name, s.endpoint(), s.proxy(), s.tls(), s.tokenId(), s.scope(), s.schedule());
  }
}
