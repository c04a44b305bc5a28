package dev.nimbus.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.Connection;
import dev.nimbus.connections.ConnectionDraft;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.ConnectionStatus;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every failure leaves a record (issue: discovery tells the truth, point 10): a token the cluster
 * rejects and a token KMS will not decrypt both give a failed run record and a FAILING connection
 * with the reason, and delete nothing; a queued message that is not a discovery request, or names a
 * connection that no longer exists, is dropped once instead of being redelivered into the
 * dead-letter queue.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscoveryFailuresIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private PveSimulator sim;
  private ConnectionService connections;
  private DynamoDbCiRepository cis;
  private AwsTestEnvironment aws;

  @BeforeAll
  void start(AwsTestEnvironment aws) {
    this.aws = aws;
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    connections =
        ConnectionService.create(
            aws.clients(),
            new ConnectionsConfig(aws.tableName(), aws.keyAlias()),
            Clock.systemUTC());
    cis =
        new DynamoDbCiRepository(
            aws.clients().dynamoDb(), aws.tableName(), CmdbSettings.defaults());
    String queueUrl =
        aws.clients().sqs().createQueue(b -> b.queueName("failures-" + aws.tableName())).queueUrl();
    System.setProperty("MAIN_CLASS", DiscoveryApplication.class.getName());
    System.setProperty("TABLE_NAME", aws.tableName());
    System.setProperty("TOKEN_KEY_ID", aws.keyAlias());
    System.setProperty("DISCOVERY_QUEUE_URL", queueUrl);
    System.setProperty("aws.endpointUrl", aws.endpoint().toString());
    System.setProperty("aws.region", aws.region());
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
  }

  @AfterAll
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private void register(ConnectionRef ref, String tokenId, String secret) {
    connections.create(
        ref.tenantId(),
        new ConnectionDraft(
            ref.connectionId(),
            new ConnectionSettings(
                "Lab cluster",
                new Endpoint("127.0.0.1", sim.port(), Optional.empty()),
                Optional.empty(),
                TlsTrust.pinned(Map.of(sim.entryNode(), sim.fingerprint(sim.entryNode()))),
                tokenId,
                new DiscoveryScope.Everything(),
                "rate(15 minutes)"),
            Secret.of(secret),
            Map.of()),
        "test@acme");
  }

  /** Runs the queue handler on one message body; returns the batch item failures. */
  private static JsonNode deliver(String body) throws IOException {
    String event;
    try (InputStream in =
        DiscoveryFailuresIT.class.getResourceAsStream("/events/sqs-discovery.json")) {
      event =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace("MESSAGE_ID", "m-" + System.nanoTime())
              .replace("\"BODY\"", JSON.writeValueAsString(body));
    }
    System.setProperty("spring.cloud.function.definition", "runDiscovery");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new FunctionInvoker()
        .handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("batchItemFailures");
  }

  private static String message(ConnectionRef ref) {
    return JSON.writeValueAsString(DiscoveryRequest.of(ref));
  }

  @Test
  void aRejectedTokenIsRecordedAsCredentialsRejectedOnTheRunAndTheConnection() throws IOException {
    ConnectionRef ref = new ConnectionRef("acme", "revoked");
    ApiToken token = sim.createToken("discovery@pve", "revoked", Roles.PVE_AUDITOR, true);
    register(ref, token.fullId(), token.secret());
    assertThat(deliver(message(ref))).isEmpty();
    long live = cis.allOfConnection(ref).stream().filter(c -> c.status().isLive()).count();
    assertThat(live).isPositive();

    // The token is replaced by one the cluster does not know: every call answers 401.
    connections.replaceTokenSecret(
        ref,
        connections.find(ref).orElseThrow().version(),
        token.fullId(),
        Secret.of("00000000-0000-0000-0000-000000000000"),
        "test@acme");
    assertThat(deliver(message(ref))).as("not redelivered").isEmpty();

    RunRecord run = cis.latestRuns(ref, 1).getFirst();
    assertThat(run.errors()).singleElement().asString().startsWith("credentials rejected");
    assertThat(run.deleted()).isZero();
    Connection after = connections.find(ref).orElseThrow();
    assertThat(after.status()).isEqualTo(ConnectionStatus.FAILING);
    assertThat(after.lastRun().orElseThrow().problem())
        .get()
        .asString()
        .startsWith("credentials rejected");
    assertThat(cis.allOfConnection(ref))
        .filteredOn(c -> c.status() == CiStatus.RESOURCE_DELETED)
        .isEmpty();
    assertThat(run.errors().getFirst()).doesNotContain("00000000-0000-0000-0000-000000000000");
  }

  @Test
  void aTokenKmsWillNotDecryptGivesAFailedRunAndAFailingConnection() throws IOException {
    ConnectionRef a = new ConnectionRef("acme", "kms-a");
    ConnectionRef b = new ConnectionRef("acme", "kms-b");
    ApiToken token = sim.createToken("discovery@pve", "kms", Roles.PVE_AUDITOR, true);
    register(a, token.fullId(), token.secret());
    register(b, token.fullId(), token.secret());
    // b's ciphertext is bound to b's encryption context: under a's name KMS refuses it.
    var table = aws.tableName();
    var dynamo = aws.clients().dynamoDb();
    Map<String, AttributeValue> itemB =
        dynamo
            .getItem(
                r ->
                    r.tableName(table)
                        .key(
                            Map.of(
                                "PK", AttributeValue.fromS("TENANT#acme"),
                                "SK", AttributeValue.fromS("CONN#kms-b"))))
            .item();
    dynamo.updateItem(
        r ->
            r.tableName(table)
                .key(
                    Map.of(
                        "PK", AttributeValue.fromS("TENANT#acme"),
                        "SK", AttributeValue.fromS("CONN#kms-a")))
                .updateExpression("SET tokenSecret = :t")
                .expressionAttributeValues(Map.of(":t", itemB.get("tokenSecret"))));

    assertThat(deliver(message(a))).as("not redelivered into the dead-letter queue").isEmpty();

    RunRecord run = cis.latestRuns(a, 1).getFirst();
    assertThat(run.errors()).singleElement().asString().contains("could not be decrypted");
    Connection after = connections.find(a).orElseThrow();
    assertThat(after.status()).isEqualTo(ConnectionStatus.FAILING);
    assertThat(after.lastRun().orElseThrow().problem())
        .get()
        .asString()
        .contains("could not be decrypted");
  }

  @Test
  void aMessageThatIsNotADiscoveryRequestOrNamesNoConnectionIsDroppedNotRedelivered()
      throws IOException {
    assertThat(deliver("not json at all")).isEmpty();
    assertThat(deliver("{\"tenantId\":\"Acme Corp\",\"connectionId\":\"lab\"}")).isEmpty();
    ConnectionRef gone = new ConnectionRef("acme", "never-existed");
    assertThat(deliver(message(gone))).isEmpty();
    assertThat(cis.latestRuns(gone, 1)).isEmpty();
  }
}
