package dev.nimbus.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.aws.StreamTail;
import dev.nimbus.aws.lambda.LambdaHandler;
import dev.nimbus.cmdb.CiHistoryEntry;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.ConnectionDraft;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.Secret;
import dev.nimbus.model.SemanticType;
import dev.nimbus.pvesim.Acl;
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
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discovery end to end, through the real Lambda handler: a ScheduledEvent tick queues the due
 * connection on SQS, the queued message runs discovery against the simulated cluster, and the CIs
 * land in the table on the AWS emulator. The tests run in order on one cluster, like a user's
 * successive schedules.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiscoveryEndToEndIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ConnectionRef LAB = new ConnectionRef("acme", "lab");

  private PveSimulator sim;
  private ConnectionService connections;
  private DynamoDbCiRepository cis;
  private SqsClient sqs;
  private String queueUrl;
  private StreamTail stream;
  private String tokenSecret;

  @BeforeAll
  void startClusterAndRegisterTheConnection(AwsTestEnvironment aws) {
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    sqs = aws.clients().sqs();
    queueUrl = sqs.createQueue(b -> b.queueName("discovery-" + aws.tableName())).queueUrl();
    connections =
        ConnectionService.create(
            aws.clients(),
            new ConnectionsConfig(aws.tableName(), aws.keyAlias()),
            Clock.systemUTC());
    cis =
        new DynamoDbCiRepository(
            aws.clients().dynamoDb(), aws.tableName(), CmdbSettings.defaults());
    stream =
        new StreamTail(aws.clients().dynamoDb(), aws.clients().dynamoDbStreams(), aws.tableName());

    ApiToken token = sim.createToken("discovery@pve", "nimbus", Roles.PVE_AUDITOR, true);
    // Fast change detection: Sys.Syslog on / lets discovery read every user's cluster log lines.
    sim.admin().createRole("NimbusChangeLog", "Sys.Syslog");
    sim.admin().grant(Acl.of("/", "discovery@pve", "NimbusChangeLog"));
    sim.admin().grant(Acl.of("/", "discovery@pve!nimbus", "NimbusChangeLog"));
    tokenSecret = token.secret();
    register(LAB, token);

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

  private void register(ConnectionRef ref, ApiToken token) {
    connections.create(
        ref.tenantId(),
        new ConnectionDraft(
            ref.connectionId(),
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
  }

  private static String invoke(String function, byte[] event) throws IOException {
    System.setProperty("spring.cloud.function.definition", function);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LambdaHandler().handleRequest(new ByteArrayInputStream(event), out, null);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = DiscoveryEndToEndIT.class.getResourceAsStream("/events/" + name)) {
      return in.readAllBytes();
    }
  }

  /** Runs one discovery of {@code ref} through the SQS handler, as the queue would deliver it. */
  private RunRecord discover(ConnectionRef ref) throws IOException {
    return discover(ref, "m-" + System.nanoTime());
  }

  private RunRecord discover(ConnectionRef ref, String messageId) throws IOException {
    String body = JSON.writeValueAsString(DiscoveryRequest.of(ref));
    String event =
        new String(resource("sqs-discovery.json"), StandardCharsets.UTF_8)
            .replace("MESSAGE_ID", messageId)
            .replace("\"BODY\"", JSON.writeValueAsString(body));
    JsonNode response =
        JSON.readTree(invoke("runDiscovery", event.getBytes(StandardCharsets.UTF_8)));
    assertThat(response.get("batchItemFailures")).isEmpty();
    return cis.latestRuns(ref, 1).getFirst();
  }

  private Map<String, StoredCi> stored(ConnectionRef ref) {
    return cis.allOfConnection(ref).stream()
        .collect(Collectors.toMap(s -> s.item().nativeKey(), Function.identity()));
  }

  private static Set<String> edges(ConfigurationItem ci, RelationshipKind kind) {
    return ci.relationships(kind).stream()
        .map(r -> r.targetNativeKey())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private long ciStreamRecords() {
    return stream.poll().stream()
        .filter(r -> r.dynamodb().keys().get("SK").s().startsWith("CI#"))
        .count();
  }

  @Test
  @Order(1)
  void theScheduleTickQueuesTheDueConnectionAndItsRunFindsTheWholeMixedCluster()
      throws IOException {
    JsonNode tick = JSON.readTree(invoke("scheduleDiscovery", resource("scheduled-event.json")));
    assertThat(tick.get("queued").asInt()).isEqualTo(1);
    var messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
    assertThat(messages).hasSize(1);
    assertThat(DiscoveryScheduler.parse(messages.getFirst().body()).ref()).isEqualTo(LAB);

    RunRecord run = discover(LAB);

    Map<String, StoredCi> all = stored(LAB);
    assertThat(run.created()).isEqualTo(all.size());
    assertThat(run.providerCalls()).isPositive();
    assertThat(all.get("cluster").item().semanticType()).isEqualTo(SemanticType.TENANCY);
    ConfigurationItem web = all.get("qemu/101").item();
    assertThat(web.status()).isEqualTo(CiStatus.RESOURCE_DISCOVERED);
    assertThat(edges(web, RelationshipKind.RUNS_ON)).containsExactly("node/pve1");
    assertThat(edges(web, RelationshipKind.MEMBER_OF)).containsExactly("pool/prod/web");
    assertThat(edges(web, RelationshipKind.STORED_ON)).contains("storage/ceph-vm");
    assertThat(edges(web, RelationshipKind.PROTECTED_BY))
        .contains("firewall/guest/101", "firewall/group/web");
    assertThat(edges(all.get("pool/prod/web").item(), RelationshipKind.CONTAINED_IN))
        .containsExactly("pool/prod");
    assertThat(all.get("qemu/9000").item().attributes().get("template")).isEqualTo(true);
    assertThat(all.get("lxc/200").item().semanticType()).isEqualTo(SemanticType.COMPUTE);
    assertThat(all.get("storage/ceph-vm").item().attributes().get("shared")).isEqualTo(true);
    assertThat(all)
        .containsKeys(
            "storage/pve1/local-lvm", "sdn/vnet/vnet100", "sdn/zone/simple1", "firewall/cluster");
    assertThat(cis.byRelationship(LAB, RelationshipKind.RUNS_ON, "node/pve1", 100, null).items())
        .extracting(s -> s.item().nativeKey())
        .contains("qemu/101", "lxc/200", "qemu/9000");
  }

  @Test
  @Order(2)
  void aReRunOfTheUnchangedClusterWritesNoCi() throws IOException {
    stream.poll();

    RunRecord run = discover(LAB);

    assertThat(run.created() + run.updated() + run.deleted()).isZero();
    assertThat(run.unchanged()).isEqualTo(stored(LAB).size());
    assertThat(ciStreamRecords()).isZero();
  }

  @Test
  @Order(3)
  void aConfigChangeMadeInTheProxmoxUiIsFoundOnTheNextRunWithItsDiffAndAuthor() throws IOException {
    // As the web UI does it: a synchronous PUT that leaves no task, only a cluster log line.
    sim.admin().editGuestConfig(104, "cores", "6", "alice@pve");

    RunRecord run = discover(LAB);

    assertThat(run.updated()).isEqualTo(1);
    StoredCi web2 = stored(LAB).get("qemu/104");
    assertThat(web2.item().status()).isEqualTo(CiStatus.OK);
    CiHistoryEntry latest = cis.timeline(LAB, web2.item().id(), 1, null).items().getFirst();
    assertThat(latest.change().changedProperties())
        .anySatisfy(
            c -> {
              assertThat(c.path()).isEqualTo("attributes.cores");
              assertThat(c.updatedValue()).isEqualTo(6L);
            });
    assertThat(latest.change().attribution().user()).isEqualTo("alice@pve");
  }

  @Test
  @Order(4)
  void aVmDeletedWhileItsNodeIsOfflineIsMarkedDeletedOnlyAfterACompleteRun() throws IOException {
    sim.admin().setNodeOnline("pve3", false);
    sim.admin().deleteGuest(105, "bob@pve");

    RunRecord partial = discover(LAB);

    assertThat(partial.partialScopes()).containsExactly("node/pve3");
    assertThat(stored(LAB).get("qemu/105").item().status()).isEqualTo(CiStatus.UNREACHABLE);
    assertThat(stored(LAB).get("qemu/104").item().status()).isEqualTo(CiStatus.UNREACHABLE);
    assertThat(partial.deleted()).isZero();

    sim.admin().setNodeOnline("pve3", true);
    RunRecord complete = discover(LAB);

    assertThat(stored(LAB).get("qemu/105").item().status()).isEqualTo(CiStatus.RESOURCE_DELETED);
    assertThat(stored(LAB).get("qemu/104").item().status()).isEqualTo(CiStatus.OK);
    assertThat(complete.deleted()).isEqualTo(1);
    assertThat(complete.recovered()).isPositive();
  }

  @Test
  @Order(5)
  void aTokenLackingPrivilegesGetsARunRecordThatNamesThem() throws IOException {
    ConnectionRef limited = new ConnectionRef("acme", "limited");
    register(
        limited,
        sim.createToken(
            "audit@pve",
            "vms",
            true,
            Acl.of("/", "audit@pve", Roles.PVE_AUDITOR),
            Acl.of("/vms", "audit@pve!vms", Roles.PVE_AUDITOR)));

    RunRecord run = discover(limited);

    assertThat(run.errors()).anyMatch(e -> e.contains("Sys.Audit") && e.contains(" on /"));
    assertThat(stored(limited)).containsKey("qemu/101");
  }

  @Test
  @Order(6)
  void aRunWritesOnlyJsonLinesWithItsIdsOneMetricRecordOfItsNumbersAndNeverTheTokenSecret()
      throws IOException {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    RunRecord run;
    sim.admin().changeGuestConfig(101, "cores", "3", "carol@pve");
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      run = discover(LAB, "m-observed");
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    String output = out.toString(StandardCharsets.UTF_8);
    String errors = err.toString(StandardCharsets.UTF_8);

    assertThat(output + errors).doesNotContain(tokenSecret);
    List<JsonNode> lines =
        output.lines().filter(l -> !l.isBlank()).map(l -> (JsonNode) JSON.readTree(l)).toList();
    List<JsonNode> emf = lines.stream().filter(n -> n.has("_aws")).toList();
    assertThat(emf).hasSize(1);
    JsonNode metrics = emf.getFirst();
    assertThat(metrics.get("Service").asString()).isEqualTo("discovery");
    assertThat(metrics.get("runId").asString()).isEqualTo("m-observed");
    assertThat(metrics.get("tenantId").asString()).isEqualTo("acme");
    assertThat(metrics.get("RunFailed").asInt()).isZero();
    assertThat(metrics.get("CisUpdated").asInt()).isEqualTo(run.updated()).isEqualTo(1);
    assertThat(metrics.get("ProxmoxCalls").asLong()).isEqualTo(run.providerCalls());
    assertThat(metrics.get("DurationMs").asLong()).isEqualTo(run.duration().toMillis());
    // The run's own summary line, as ECS JSON with the ids of the run.
    assertThat(lines)
        .filteredOn(n -> !n.has("_aws") && n.get("message").asString().startsWith("discovery of"))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.get("tenantId").asString()).isEqualTo("acme");
              assertThat(n.get("connectionId").asString()).isEqualTo("lab");
              assertThat(n.get("runId").asString()).isEqualTo("m-observed");
            });
  }
}
