package dev.nimbus.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.connections.KmsEnvelopeTokenCipher;
import dev.nimbus.connections.SecretDecryptionException;
import dev.nimbus.model.Secret;
import dev.nimbus.model.SemanticType;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.aws.FaultInjectingProxy;
import dev.nimbus.testing.aws.FaultKind;
import dev.nimbus.testing.aws.FaultPlan;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Both webhook repositories on the AWS emulator, as the ci-events function and the wizard's webhook
 * routes use them: a subscription round-trips with its filters, its secret is stored only encrypted
 * and opens only for its own tenant and webhook, a refused URL is never stored, and kept failures
 * are listed per webhook, updated in place and expire through the table's TTL.
 */
@ExtendWith(AwsEmulatorExtension.class)
class WebhookRepositoriesIT {
  private static final String SECRET = "whsec-repo-it-83b1e0";
  private static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");

  private static DynamoDbClient dynamo;
  private static String table;
  private static WebhookSubscriptionRepository subscriptions;
  private static WebhookFailureRepository failures;

  @BeforeAll
  static void start(AwsTestEnvironment aws) {
    dynamo = aws.clients().dynamoDb();
    table = aws.tableName();
    // Resolution is faked: hooks.example.com is public, every other host private. Nothing is
    // called.
    UrlPolicy policy =
        new UrlPolicy(
            false,
            List.of(),
            host ->
                host.equals("hooks.example.com")
                    ? new InetAddress[] {InetAddress.getByName("203.0.114.7")}
                    : new InetAddress[] {InetAddress.getByName("10.0.0.5")});
    subscriptions =
        new WebhookSubscriptionRepository(
            dynamo, table, new KmsEnvelopeTokenCipher(aws.clients().kms(), aws.keyAlias()), policy);
    failures = new WebhookFailureRepository(dynamo, table, Duration.ofDays(14));
  }

  private static WebhookSubscription subscription(String tenant, String id, String url) {
    return new WebhookSubscription(
        tenant,
        id,
        URI.create(url),
        Set.of(SemanticType.COMPUTE),
        Set.of(ChangeKind.UPDATED, ChangeKind.DELETED),
        true,
        CREATED);
  }

  @Test
  void aSubscriptionRoundTripsAndItsSecretIsStoredOnlyEncrypted() {
    subscriptions.save(
        subscription("acme", "ops", "https://hooks.example.com/nimbus?k=1"), Secret.of(SECRET));

    WebhookSubscriptionRepository.Stored stored = subscriptions.find("acme", "ops").orElseThrow();
    assertThat(stored.subscription())
        .isEqualTo(subscription("acme", "ops", "https://hooks.example.com/nimbus?k=1"));
    assertThat(subscriptions.decryptSecret(stored).reveal()).isEqualTo(SECRET);
    Map<String, AttributeValue> raw = rawItem("TENANT#acme", "WEBHOOK#ops");
    assertThat(raw.get("itemType").s()).isEqualTo("WEBHOOK");
    assertThat(raw.toString()).doesNotContain(SECRET);
    assertThat(subscriptions.list("acme")).extracting(s -> s.subscription().id()).contains("ops");
    assertThat(subscriptions.list("other")).isEmpty();
  }

  @Test
  void aCreateOfAnIdThatExistsWritesNothingSoTheFirstSecretStaysValid() {
    assertThat(
            subscriptions.create(
                subscription("acme", "race", "https://hooks.example.com/a"), Secret.of(SECRET)))
        .isTrue();

    boolean second =
        subscriptions.create(
            subscription("acme", "race", "https://hooks.example.com/b"),
            Secret.of("whsec-second-caller"));

    assertThat(second).isFalse();
    WebhookSubscriptionRepository.Stored stored = subscriptions.find("acme", "race").orElseThrow();
    assertThat(stored.subscription().url()).isEqualTo(URI.create("https://hooks.example.com/a"));
    assertThat(subscriptions.decryptSecret(stored).reveal()).isEqualTo(SECRET);
  }

  @Test
  void aCreateAppliedWhoseAnswerWasLostIsStillACreate(AwsTestEnvironment aws) {
    // The put is applied, then the connection drops before the answer: the SDK retries it, and
    // the retry fails the "does not exist" condition the put itself made false.
    try (FaultInjectingProxy proxy =
            FaultInjectingProxy.start(
                aws.endpoint(),
                FaultPlan.none()
                    .injectAt(FaultKind.DROP_AFTER_APPLY, "DynamoDB_20120810.PutItem", 0));
        AwsClients faulty =
            AwsClients.create(
                Region.of(aws.region()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
                proxy.endpoint())) {
      WebhookSubscriptionRepository throughProxy =
          new WebhookSubscriptionRepository(
              faulty.dynamoDb(),
              table,
              new KmsEnvelopeTokenCipher(faulty.kms(), aws.keyAlias()),
              UrlPolicy.of(false, List.of()));

      boolean created =
          throughProxy.create(
              subscription("lost", "ops", "https://203.0.114.9/hook"), Secret.of(SECRET));

      assertThat(proxy.injected(FaultKind.DROP_AFTER_APPLY, "DynamoDB_20120810.PutItem"))
          .isEqualTo(1);
      assertThat(created).isTrue();
    }
    assertThat(
            subscriptions.decryptSecret(subscriptions.find("lost", "ops").orElseThrow()).reveal())
        .isEqualTo(SECRET);
  }

  @Test
  void aSecretCopiedToAnotherWebhookDoesNotDecrypt() {
    subscriptions.save(
        subscription("acme", "copy-source", "https://hooks.example.com/a"), Secret.of(SECRET));
    subscriptions.save(
        subscription("acme", "copy-target", "https://hooks.example.com/b"), Secret.of("other"));
    var source = subscriptions.find("acme", "copy-source").orElseThrow();
    var target = subscriptions.find("acme", "copy-target").orElseThrow();

    var forged =
        new WebhookSubscriptionRepository.Stored(target.subscription(), source.encryptedSecret());

    assertThatThrownBy(() -> subscriptions.decryptSecret(forged))
        .isInstanceOf(SecretDecryptionException.class)
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void aRefusedUrlIsNeverStored() {
    assertThatThrownBy(
            () ->
                subscriptions.save(
                    subscription("acme", "inside", "https://intranet.example.com/hook"),
                    Secret.of(SECRET)))
        .isInstanceOf(WebhookUrlRejectedException.class)
        .hasMessageContaining("private");
    assertThat(subscriptions.find("acme", "inside")).isEmpty();
  }

  @Test
  void deleteRemovesTheSubscription() {
    subscriptions.save(
        subscription("acme", "short-lived", "https://hooks.example.com/x"), Secret.of(SECRET));

    subscriptions.delete("acme", "short-lived");

    assertThat(subscriptions.find("acme", "short-lived")).isEmpty();
  }

  @Test
  void keptFailuresAreListedPerWebhookUpdatedInPlaceAndExpireThroughTheTtl() {
    Instant first = Instant.parse("2026-03-02T08:00:00Z");
    WebhookFailure a =
        new WebhookFailure(
            "globex", "ops", "e-1", "Nimbus CI Updated", "{}", 3, 503, "HTTP 503", first, first);
    WebhookFailure b =
        new WebhookFailure(
            "globex", "audit", "e-1", "Nimbus CI Updated", "{}", 3, 0, "timeout", first, first);
    failures.record(a);
    failures.record(b);

    assertThat(failures.list("globex", "ops")).containsExactly(a);
    assertThat(failures.list("globex", null)).containsExactlyInAnyOrder(a, b);

    Instant later = first.plus(Duration.ofHours(1));
    WebhookFailure again = a.failedAgain(3, 500, "HTTP 500", later);
    failures.record(again);
    assertThat(failures.list("globex", "ops")).containsExactly(again);
    assertThat(rawItem("TENANT#globex", "WHFAIL#ops#e-1").get("expiresAt").n())
        .isEqualTo(Long.toString(later.plus(Duration.ofDays(14)).getEpochSecond()));

    failures.delete(again);
    assertThat(failures.list("globex", "ops")).isEmpty();
    assertThat(failures.list("globex", null)).containsExactly(b);
  }

  private static Map<String, AttributeValue> rawItem(String pk, String sk) {
    return dynamo
        .getItem(
            r ->
                r.tableName(table)
                    .key(Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk)))
                    .consistentRead(true))
        .item();
  }
}
