package dev.nimbus.usagefn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.aws.lambda.LambdaHandler;
import dev.nimbus.connections.ConnectionDraft;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.TlsTrust;
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
import dev.nimbus.usage.dynamodb.DynamoDbUsageRepository;
import dev.nimbus.usage.dynamodb.UsageSampleLeases;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The usage function through the real Lambda handler against a simulated PVE 8.4 cluster and the
 * AWS emulator: a sample is one metrics export call, a backfill reads rrddata and writes its hours,
 * a refused request writes nothing, and the token secret appears in no output.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsageFunctionIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ConnectionRef LAB = new ConnectionRef("acme", "lab");

  private PveSimulator sim;
  private String tokenSecret;
  private DynamoDbUsageRepository usage;
  private UsageSampleLeases leases;

  @BeforeAll
  void start(AwsTestEnvironment aws) {
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V8_4)
                .withAuthFailureDelay(Duration.ZERO));
    ConnectionService connections =
        ConnectionService.create(
            aws.clients(),
            new ConnectionsConfig(aws.tableName(), aws.keyAlias()),
            Clock.systemUTC());
    ApiToken token = sim.createToken("usage@pve", "nimbus", Roles.PVE_AUDITOR, true);
    tokenSecret = token.secret();
    connections.create(
        LAB.tenantId(),
        new ConnectionDraft(
            LAB.connectionId(),
            new ConnectionSettings(
                "Lab cluster",
                new Endpoint("127.0.0.1", sim.port(), Optional.empty()),
                Optional.empty(),
                TlsTrust.pinned(Map.of(sim.entryNode(), sim.fingerprint(sim.entryNode()))),
                token.fullId(),
                new DiscoveryScope.Everything(),
                "rate(15 minutes)"),
            Secret.of(token.secret()),
            Map.of()),
        "test@acme");
    usage = new DynamoDbUsageRepository(aws.clients().dynamoDb(), aws.tableName());
    leases = new UsageSampleLeases(aws.clients().dynamoDb(), aws.tableName(), Clock.systemUTC());
    System.setProperty("MAIN_CLASS", UsageApplication.class.getName());
    System.setProperty("TABLE_NAME", aws.tableName());
    System.setProperty("TOKEN_KEY_ID", aws.keyAlias());
    System.setProperty("aws.endpointUrl", aws.endpoint().toString());
    System.setProperty("aws.region", aws.region());
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    System.setProperty("spring.cloud.function.definition", "sampleUsage");
  }

  @AfterAll
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  /** Invokes the handler, capturing everything the function printed (logs and metrics). */
  private JsonNode invoke(String event, StringBuilder printed) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    try {
      new LambdaHandler()
          .handleRequest(
              new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    } finally {
      System.setOut(original);
    }
    printed.append(console.toString(StandardCharsets.UTF_8));
    String answer = out.toString(StandardCharsets.UTF_8);
    printed.append(answer);
    return JSON.readTree(answer);
  }

  @Test
  @Order(1)
  void aSampleIsOneMetricsExportCallAndMovesTheCursor() throws IOException {
    sim.resetRequestCounts();
    StringBuilder printed = new StringBuilder();
    JsonNode answer = invoke("{\"tenantId\":\"acme\",\"connectionId\":\"lab\"}", printed);

    JsonNode sample = answer.get("samples").get(0);
    assertThat(sample.get("succeeded").asBoolean()).isTrue();
    assertThat(sample.get("methods").get(0).asString()).isEqualTo("metrics-export");
    assertThat(sim.requestCount("/cluster/metrics/export")).isEqualTo(1);
    // The CMDB holds no storage CI yet, so the shared storages are read once from /storage.
    assertThat(sim.requestCount()).isEqualTo(2);
    assertThat(sample.get("cis").asInt()).isGreaterThan(9);
    assertThat(usage.loadState(LAB).cursor()).isNotNull();
    assertThat(printed.toString()).contains("\"Service\":\"usage\"").doesNotContain(tokenSecret);
  }

  @Test
  @Order(2)
  void aBackfillOfPastHoursReadsRrddataAndWritesThoseHoursOnce() throws IOException {
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    String event =
        "{\"tenantId\":\"acme\",\"connectionId\":\"lab\",\"from\":\""
            + hour
            + "\",\"to\":\""
            + hour.plus(Duration.ofHours(1))
            + "\"}";
    StringBuilder printed = new StringBuilder();
    JsonNode sample = invoke(event, printed).get("samples").get(0);
    assertThat(sample.get("methods").get(0).asString()).isEqualTo("rrddata");
    assertThat(sample.get("hourWrites").asInt()).isGreaterThan(9);
    assertThat(usage.hoursOf(LAB, "qemu/101", hour, hour.plusSeconds(3600))).hasSize(1);

    JsonNode again = invoke(event, printed).get("samples").get(0);
    assertThat(again.get("hourWrites").asInt()).as("re-running an hour writes nothing").isZero();
    assertThat(printed.toString()).doesNotContain(tokenSecret);
  }

  @Test
  @Order(3)
  void anUnknownConnectionOrARangeInTheFutureIsRefusedFieldByField() throws IOException {
    StringBuilder printed = new StringBuilder();
    JsonNode unknown = invoke("{\"tenantId\":\"acme\",\"connectionId\":\"nope\"}", printed);
    assertThat(unknown.get("errors").get(0).get("field").asString()).isEqualTo("connectionId");
    assertThat(unknown.get("samples")).isEmpty();
    JsonNode future =
        invoke(
            "{\"tenantId\":\"acme\",\"connectionId\":\"lab\",\"from\":\"2999-01-01T00:00:00Z\",\"to\":\"2999-01-02T00:00:00Z\"}",
            printed);
    assertThat(future.get("errors").get(0).get("field").asString()).isEqualTo("from");
  }

  @Test
  @Order(4)
  void aSampleWhileAnotherOfTheSameConnectionRunsWritesNothingAndSaysSo() throws IOException {
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(5));
    String event =
        "{\"tenantId\":\"acme\",\"connectionId\":\"lab\",\"from\":\""
            + hour
            + "\",\"to\":\""
            + hour.plus(Duration.ofHours(1))
            + "\"}";
    StringBuilder printed = new StringBuilder();
    // Another sample of lab (the schedule, a second click) holds the connection.
    try (UsageSampleLeases.Lease running =
        (UsageSampleLeases.Lease) leases.acquire(LAB, Duration.ofMinutes(5))) {
      sim.resetRequestCounts();
      JsonNode refused = invoke(event, printed).get("samples").get(0);

      assertThat(refused.get("succeeded").asBoolean()).isFalse();
      assertThat(refused.get("problems").get(0).asString()).contains("already running");
      assertThat(sim.requestCount()).as("no Proxmox call").isZero();
      assertThat(usage.hoursOf(LAB, "qemu/101", hour, hour.plusSeconds(3600))).isEmpty();
    }

    JsonNode after = invoke(event, printed).get("samples").get(0);
    assertThat(after.get("succeeded").asBoolean()).isTrue();
    assertThat(usage.hoursOf(LAB, "qemu/101", hour, hour.plusSeconds(3600))).hasSize(1);
    // Its own lease was released: the next sample is not refused.
    JsonNode next = invoke(event, printed).get("samples").get(0);
    assertThat(next.get("succeeded").asBoolean()).isTrue();
    assertThat(printed.toString()).doesNotContain(tokenSecret);
  }
}
