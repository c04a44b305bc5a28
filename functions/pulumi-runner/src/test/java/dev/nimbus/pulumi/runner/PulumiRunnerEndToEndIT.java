package dev.nimbus.pulumi.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
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
import dev.nimbus.testing.lambda.LambdaHarness;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runner's real wiring end to end, through the Lambda handler: the connection is stored with
 * its token KMS-encrypted on the AWS emulator, discovery's CIs of the simulated cluster are in the
 * table, and the application decrypts the token, validates inputs against those CIs, starts the
 * forwarder on its configured port with the connection's pinned fingerprint and keeps run records
 * and CI links in DynamoDB. Only the Pulumi CLI is faked: while an engine command runs, the fake
 * does what the provider would, calling Proxmox through the forwarder and trusting only the bundle
 * {@code SSL_CERT_FILE} names.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PulumiRunnerEndToEndIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ConnectionRef LAB = new ConnectionRef("acme", "lab");

  static FakePulumiCommand cli;

  /** The real configuration, with the fake CLI preferred over the one on the PATH. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableConfigurationProperties(PulumiRunnerProperties.class)
  @Import({PulumiRunnerConfiguration.class, PulumiRunnerFunctions.class})
  static class WithFakeCli {
    @Bean
    @Primary
    DeploymentService.CommandFactory fakeCli() {
      return () -> cli;
    }
  }

  private PveSimulator sim;
  private ApiToken token;
  private AwsTestEnvironment aws;
  private int forwarderPort;
  private LambdaHarness lambda;
  private final List<String> providerCalls = new CopyOnWriteArrayList<>();
  private String previewRunId;
  private int discoveredCis;

  @BeforeAll
  void start(AwsTestEnvironment aws) throws IOException {
    this.aws = aws;
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    token = sim.createToken("deploy@pve", "nimbus", Roles.PVE_VM_ADMIN, true);
    ConnectionService connections =
        ConnectionService.create(
            aws.clients(),
            new ConnectionsConfig(aws.tableName(), aws.keyAlias()),
            Clock.systemUTC());
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
    discoveredCis =
        SimulatedDiscovery.discover(
                new DynamoDbCiRepository(
                    aws.clients().dynamoDb(), aws.tableName(), CmdbSettings.defaults()),
                LAB,
                sim,
                token)
            .items()
            .size();

    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      forwarderPort = probe.getLocalPort();
    }
    cli =
        new FakePulumiCommand(
            Map.of(
                "preview", "preview-vm.jsonl", "up", "up-vm.jsonl", "destroy", "destroy-vm.jsonl"));
    cli.duringEngineCommand = this::actLikeTheProvider;

    Path tmp = Files.createTempDirectory("runner-e2e");
    lambda =
        LambdaHarness.forApplication(WithFakeCli.class)
            .function("deploy")
            .awsEmulator(aws.endpoint(), aws.region())
            .property("TABLE_NAME", aws.tableName())
            .property("TOKEN_KEY_ID", aws.keyAlias())
            .property("PULUMI_STATE_BUCKET", "nimbus-e2e-state")
            .property("PULUMI_KMS_KEY", "alias/nimbus-e2e-pulumi")
            .property("AWS_REGION", aws.region())
            .property("EVENT_BUS_NAME", "nimbus-e2e-bus")
            .property(
                "WEBHOOK_DELIVERY_QUEUE_URL",
                aws.endpoint() + "/000000000000/nimbus-e2e-webhook-deliveries")
            .property("PULUMI_HOME", tmp.resolve("home").toString())
            .property("PULUMI_WORK_ROOT", tmp.resolve("work").toString())
            .property("PULUMI_FORWARDER_PORT", String.valueOf(forwarderPort))
            .start();
  }

  @AfterAll
  void stop() {
    if (lambda != null) {
      lambda.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  /**
   * What the provider does during an engine command, minus Terraform: trust what SSL_CERT_FILE
   * names and nothing else, and call Proxmox at the forwarder's fixed endpoint with its token.
   */
  private void actLikeTheProvider(FakePulumiCommand.Invocation invocation) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      try (InputStream in = Files.newInputStream(Path.of(invocation.env().get("SSL_CERT_FILE")))) {
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          trust.setCertificateEntry("c" + i++, c);
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLSv1.3");
      tls.init(null, tmf.getTrustManagers(), null);
      HttpResponse<String> version =
          HttpClient.newBuilder()
              .sslContext(tls)
              .build()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("https://127.0.0.1:" + forwarderPort + "/api2/json/version"))
                      .header("Authorization", token.authorizationHeader())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      providerCalls.add(version.statusCode() + " " + version.body());
    } catch (Exception e) {
      providerCalls.add("failed: " + e);
    }
  }

  private JsonNode invoke(Map<String, Object> request) throws IOException {
    String text =
        new String(lambda.invoke(JSON.writeValueAsBytes(request)), StandardCharsets.UTF_8);
    assertThat(text).doesNotContain(token.secret());
    return JSON.readTree(text);
  }

  private static Map<String, Object> request(String operation, Map<String, Object> inputs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("operation", operation);
    m.put("tenantId", "acme");
    m.put("connectionId", "lab");
    m.put("program", "vm");
    if (inputs != null) {
      m.put("inputs", inputs);
    }
    return m;
  }

  private List<Map<String, AttributeValue>> partition() {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    aws.clients()
        .dynamoDb()
        .queryPaginator(
            b ->
                b.tableName(aws.tableName())
                    .keyConditionExpression("PK = :pk")
                    .expressionAttributeValues(
                        Map.of(":pk", AttributeValue.fromS("CONN#acme#lab"))))
        .items()
        .forEach(items::add);
    return items;
  }

  private long items(String itemType) {
    return partition().stream().filter(i -> itemType.equals(i.get("itemType").s())).count();
  }

  @Test
  @Order(1)
  void aPreviewOnTheDiscoveredClusterRunsWithTheDecryptedTokenBehindThePinnedForwarder()
      throws IOException {
    JsonNode answer = invoke(request("preview", DeploymentServiceTest.vmInputs()));

    assertThat(answer.get("status").asInt()).isEqualTo(200);
    assertThat(answer.at("/run/status").asString()).isEqualTo("SUCCEEDED");
    previewRunId = answer.at("/run/runId").asString();
    // The provider's call went through the forwarder, pinned to the simulator, and was answered.
    assertThat(providerCalls).singleElement().asString().startsWith("200 ").contains("9.1");
    assertThat(cli.commands().getFirst()).containsExactly("stack", "select", "--stack", "acme.lab");
    assertThat(items("DEPLOY_RUN")).isEqualTo(1);
  }

  @Test
  @Order(2)
  void inputsAreCheckedAgainstTheCisDiscoveryStored() throws IOException {
    int before = cli.invocations.size();
    Map<String, Object> inputs = DeploymentServiceTest.vmInputs();
    inputs.put("template", 101); // web-01: a VM, not a template
    inputs.put("datastore", "nfs-iso"); // holds iso and vztmpl, no disk images

    JsonNode answer = invoke(request("preview", inputs));

    assertThat(answer.get("status").asInt()).isEqualTo(400);
    assertThat(answer.get("errors").valueStream().map(e -> e.get("field").asString()).toList())
        .contains("inputs.template", "inputs.datastore");

    Map<String, Object> elsewhere = request("preview", DeploymentServiceTest.vmInputs());
    elsewhere.put("connectionId", "gone");
    assertThat(invoke(elsewhere).get("status").asInt()).isEqualTo(404);
    assertThat(cli.invocations).hasSize(before);
  }

  @Test
  @Order(3)
  void anApprovedUpLinksTheCreatedCiAndStatusReadsItBack() throws IOException {
    Map<String, Object> up = request("up", DeploymentServiceTest.vmInputs());
    up.put("approvedPreviewRunId", previewRunId);

    JsonNode answer = invoke(up);

    assertThat(answer.get("status").asInt()).isEqualTo(200);
    assertThat(providerCalls).hasSize(2).allSatisfy(c -> assertThat(c).startsWith("200 "));
    Map<String, AttributeValue> link =
        aws.clients()
            .dynamoDb()
            .getItem(
                b ->
                    b.tableName(aws.tableName())
                        .key(
                            Map.of(
                                "PK", AttributeValue.fromS("CONN#acme#lab"),
                                "SK", AttributeValue.fromS("CILINK#qemu/130"))))
            .item();
    assertThat(link.get("itemType").s()).isEqualTo("CI_LINK");
    assertThat(link.get("stack").s()).isEqualTo("nimbus-vm/acme.lab");
    assertThat(link.get("urn").s()).endsWith("::proxmoxve:index/vmLegacy:VmLegacy::app-01");

    JsonNode status = invoke(request("status", null));
    assertThat(status.at("/run/runId").asString()).isEqualTo(answer.at("/run/runId").asString());
    assertThat(status.at("/run/linkedCis/qemu~1130").asString()).isEqualTo(link.get("urn").s());
    // Two runs, one link, beside the connection's CIs and discovery's own records.
    assertThat(items("DEPLOY_RUN")).isEqualTo(2);
    assertThat(items("CI_LINK")).isEqualTo(1);
    assertThat(items("CI")).isEqualTo(discoveredCis);
  }

  @Test
  @Order(4)
  void theTokenSecretIsInNoItemNoCliArgumentAndNoCliEnvironment() {
    String secret = token.secret();
    List<Map<String, AttributeValue>> all = new ArrayList<>();
    aws.clients()
        .dynamoDb()
        .scanPaginator(b -> b.tableName(aws.tableName()))
        .items()
        .forEach(all::add);
    assertThat(all).isNotEmpty().allSatisfy(i -> assertThat(i.toString()).doesNotContain(secret));
    for (var inv : cli.invocations) {
      assertThat(String.join(" ", inv.args())).doesNotContain(secret);
      assertThat(inv.env().toString()).doesNotContain(secret);
    }
  }
}
