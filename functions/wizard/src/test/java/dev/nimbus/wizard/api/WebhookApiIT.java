package dev.nimbus.wizard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.https.LocalHttpsReceiver;
import dev.nimbus.testing.https.TestCertificates;
import dev.nimbus.webhooks.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;

/**
 * The webhook routes through the real Lambda handler on the AWS emulator, with a local HTTPS
 * receiver (self-signed certificate, trusted through {@code WEBHOOK_TRUST_PEM}): the signing secret
 * is shown once and stored only as ciphertext, a test delivery arrives signed with it, the URL
 * policy refuses private and metadata addresses, and every route is tenant-scoped.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookApiIT {
  private static final String ACME = "acme";
  private static final String OTHER = "globex";

  private AwsTestEnvironment aws;
  private ApiClient api;
  private LocalHttpsReceiver receiver;
  private LocalHttpsReceiver failing;
  private Path pemDir;
  private final List<String> secrets = new ArrayList<>();

  @BeforeAll
  void start(AwsTestEnvironment aws) throws Exception {
    this.aws = aws;
    TestCertificates certs = TestCertificates.selfSigned("localhost");
    receiver = LocalHttpsReceiver.answering(certs, 204);
    failing = LocalHttpsReceiver.answering(certs, 503);
    pemDir = Files.createTempDirectory("wizard-webhook-pem");
    String queueUrl =
        aws.clients()
            .sqs()
            .createQueue(b -> b.queueName("wizard-webhooks-" + aws.tableName()))
            .queueUrl();
    WizardEnvironment.configure(aws, queueUrl);
    System.setProperty("NIMBUS_LOCAL_MODE", "true");
    System.setProperty("WEBHOOK_TRUST_PEM", certs.writePem(pemDir).toString());
    api = new ApiClient();
    api.captureLogs();
  }

  @AfterAll
  void stop() {
    if (api != null) {
      String logs = api.logs();
      for (String secret : secrets) {
        assertThat(logs).doesNotContain(secret);
      }
      api.close();
    }
    System.clearProperty("NIMBUS_LOCAL_MODE");
    System.clearProperty("WEBHOOK_TRUST_PEM");
    if (receiver != null) {
      receiver.close();
    }
    if (failing != null) {
      failing.close();
    }
  }

  private Map<String, Object> hook(String id, String url) {
    return Map.of("id", id, "url", url, "semanticTypes", List.of("compute"));
  }

  @Test
  @Order(1)
  void creatingShowsTheSigningSecretOnceAndStoresOnlyItsCiphertext() {
    ApiClient.Response created =
        api.call(
            ACME,
            "POST",
            "/api/webhooks",
            hook("ops", receiver.url("localhost", "/in").toString()));

    assertThat(created.status()).isEqualTo(201);
    String secret = created.json().path("signingSecret").asString();
    secrets.add(secret);
    assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
    assertThat(created.json().path("semanticTypes").toString()).isEqualTo("[\"COMPUTE\"]");

    ApiClient.Response list = api.call(ACME, "GET", "/api/webhooks", null);
    assertThat(list.json().path("items")).hasSize(1);
    assertThat(list.json().path("items").get(0).path("id").asString()).isEqualTo("ops");
    assertThat(list.body()).doesNotContain(secret).doesNotContain("signingSecret");

    Map<String, AttributeValue> item =
        aws.clients()
            .dynamoDb()
            .getItem(
                b ->
                    b.tableName(aws.tableName())
                        .key(
                            Map.of(
                                "PK", AttributeValue.fromS("TENANT#acme"),
                                "SK", AttributeValue.fromS("WEBHOOK#ops"))))
            .item();
    assertThat(item.get("secret").m()).containsKeys("ct", "dataKey", "iv");
    assertThat(item.toString()).doesNotContain(secret);
  }

  @Test
  @Order(2)
  void aTestDeliveryArrivesSignedWithThatSecret() {
    ApiClient.Response r = api.call(ACME, "POST", "/api/webhooks/ops/test", null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("delivered").asBoolean()).isTrue();
    assertThat(r.json().path("status").asInt()).isEqualTo(204);
    assertThat(receiver.received()).hasSize(1);
    LocalHttpsReceiver.Received got = receiver.received().getFirst();
    assertThat(got.path()).isEqualTo("/in");
    assertThat(got.body()).contains("Nimbus Webhook Test", "\"webhookId\":\"ops\"");
    assertThat(
            WebhookSigner.verify(
                secrets.getFirst(),
                got.header(WebhookSigner.SIGNATURE_HEADER),
                got.body().getBytes(StandardCharsets.UTF_8),
                Instant.now(),
                WebhookSigner.DEFAULT_TOLERANCE))
        .isTrue();
    assertThat(got.header(WebhookSigner.SIGNATURE_HEADER)).doesNotContain(secrets.getFirst());
  }

  @Test
  @Order(3)
  void aReceiverThatAnswersAnErrorIsReportedNotFailed() {
    api.call(
        ACME, "POST", "/api/webhooks", hook("down", failing.url("localhost", "/x").toString()));
    ApiClient.Response r = api.call(ACME, "POST", "/api/webhooks/down/test", null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("delivered").asBoolean()).isFalse();
    assertThat(r.json().path("status").asInt()).isEqualTo(503);
    assertThat(failing.received()).hasSize(1);
  }

  @Test
  @Order(4)
  void badInputIsAFieldErrorAndRefusedAddressesAreAPolicyProblem() {
    ApiClient.Response plain =
        api.call(ACME, "POST", "/api/webhooks", hook("plain", "http://hooks.example/in"));
    assertThat(plain.status()).isEqualTo(400);
    assertThat(plain.fields()).containsExactly("url");

    ApiClient.Response bad =
        api.call(
            ACME,
            "POST",
            "/api/webhooks",
            Map.of("id", "Bad_Id", "url", "https://localhost/", "semanticTypes", List.of("x")));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.fields()).containsExactlyInAnyOrder("id", "semanticTypes");

    ApiClient.Response missing = api.call(ACME, "POST", "/api/webhooks", Map.of());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.fields()).containsExactlyInAnyOrder("id", "url");

    for (String url : List.of("https://10.1.2.3/in", "https://169.254.169.254/latest")) {
      ApiClient.Response refused = api.call(ACME, "POST", "/api/webhooks", hook("inner", url));
      assertThat(refused.status()).as(url).isEqualTo(422);
      assertThat(refused.json().path("type").asString()).endsWith("/policy");
      assertThat(refused.fields()).containsExactly("url");
    }

    ApiClient.Response taken =
        api.call(
            ACME, "POST", "/api/webhooks", hook("ops", receiver.url("localhost", "/2").toString()));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(api.call(ACME, "GET", "/api/webhooks", null).json().path("items")).hasSize(2);
  }

  @Test
  @Order(5)
  void anotherTenantNeitherSeesNorTestsNorDeletesTheWebhook() {
    int before = receiver.received().size();

    assertThat(api.call(OTHER, "GET", "/api/webhooks", null).json().path("items")).isEmpty();
    assertThat(api.call(OTHER, "POST", "/api/webhooks/ops/test", null).status()).isEqualTo(404);
    assertThat(api.call(OTHER, "DELETE", "/api/webhooks/ops", null).status()).isEqualTo(404);
    assertThat(api.call(ACME, "DELETE", "/api/webhooks/no%23such", null).status()).isEqualTo(404);

    assertThat(receiver.received()).hasSize(before);
    assertThat(api.call(ACME, "GET", "/api/webhooks", null).json().path("items")).hasSize(2);
  }

  @Test
  @Order(6)
  void deletingRemovesIt() {
    assertThat(api.call(ACME, "DELETE", "/api/webhooks/ops", null).status()).isEqualTo(204);

    JsonNode items = api.call(ACME, "GET", "/api/webhooks", null).json().path("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).path("id").asString()).isEqualTo("down");
    assertThat(api.call(ACME, "POST", "/api/webhooks/ops/test", null).status()).isEqualTo(404);
  }
}
