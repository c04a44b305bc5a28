package dev.nimbus.pulumi.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pulumi.automation.AutomationException;
import com.pulumi.automation.CommandResult;
import com.pulumi.automation.CommandRunOptions;
import com.pulumi.automation.LocalPulumiCommand;
import com.pulumi.automation.PulumiCommand;
import com.pulumi.automation.Version;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.ConnectionDraft;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.deployments.DeploymentRun;
import dev.nimbus.deployments.Operation;
import dev.nimbus.deployments.RunStatus;
import dev.nimbus.deployments.dynamodb.DynamoDbDeploymentRunStore;
import dev.nimbus.infra.ProxmoxVePackage;
import dev.nimbus.infra.programs.CmdbInventory;
import dev.nimbus.infra.programs.ProgramCatalog;
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
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The runner with the real Pulumi CLI and the real proxmoxve plugin: a pool previewed, applied,
 * previewed again and destroyed on the simulated cluster, through the forwarder, with the state in
 * S3 and the secrets under KMS, both on the AWS emulator. Runs only where {@code pulumi} and {@code
 * pulumi-resource-proxmoxve} are on the PATH (the runner image has both; these machines have
 * neither, and no registry here serves them), and is skipped otherwise with a message naming what
 * is missing.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class RealPulumiCliIT {
  static final String PLUGIN = "pulumi-resource-" + ProxmoxVePackage.NAME;
  static final ConnectionRef LAB = new ConnectionRef("acme", "lab");

  private AwsTestEnvironment aws;
  private PveSimulator sim;
  private ApiToken token;
  private DynamoDbDeploymentRunStore store;
  private DeploymentService service;
  private String bucket;

  /** Executables of these names on the PATH; the missing ones. */
  static List<String> missingFromPath(String... names) {
    List<String> dirs =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(d -> !d.isBlank())
            .toList();
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      if (dirs.stream().map(d -> Path.of(d, name)).noneMatch(Files::isExecutable)) {
        missing.add(name);
      }
    }
    return missing;
  }

  /** Skips the test (with the reason in the report) unless the CLI and the plugin are there. */
  static void requireTheCliAndThePlugin() {
    List<String> missing = missingFromPath("pulumi", PLUGIN);
    String why =
        "RealPulumiCliIT skipped: not on the PATH: "
            + String.join(", ", missing)
            + " (needs the Pulumi CLI 3.205.0 or later and the "
            + ProxmoxVePackage.NAME
            + " plugin "
            + ProxmoxVePackage.VERSION
            + "; see functions/pulumi-runner/README.md)";
    if (!missing.isEmpty()) {
      System.err.println(why);
    }
    assumeTrue(missing.isEmpty(), why);
  }

  private void setUp(AwsTestEnvironment aws) throws Exception {
    this.aws = aws;
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    token = sim.createToken("deploy@pve", "nimbus", Roles.ADMINISTRATOR, true);
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
    var cis =
        new DynamoDbCiRepository(
            aws.clients().dynamoDb(), aws.tableName(), CmdbSettings.defaults());
    SimulatedDiscovery.discover(cis, LAB, sim, token);

    // The state bucket and a Pulumi key of its own, on the emulator.
    bucket = "state-" + aws.tableName().toLowerCase().replaceAll("[^a-z0-9-]", "-");
    createBucket(bucket);
    String pulumiKey = "alias/pulumi-" + aws.tableName();
    String keyId =
        aws.clients().kms().createKey(b -> b.description("pulumi")).keyMetadata().keyId();
    aws.clients().kms().createAlias(b -> b.aliasName(pulumiKey).targetKeyId(keyId));

    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path tmp = Files.createTempDirectory("real-cli");
    store =
        new DynamoDbDeploymentRunStore(
            aws.clients().dynamoDb(), aws.tableName(), Duration.ofDays(1), Clock.systemUTC());
    service =
        new DeploymentService(
            ProgramCatalog.standard(),
            connections::resolve,
            new CmdbInventory(cis, ref -> connections.find(ref).isPresent())::inventory,
            store,
            new RunnerSettings(
                bucket,
                "stacks",
                aws.region(),
                pulumiKey,
                tmp.resolve("home"),
                tmp.resolve("work"),
                port,
                aws.endpoint()),
            () -> new EmulatorCredentials(LocalPulumiCommand.create(), aws.region()),
            Clock.systemUTC());
  }

  @AfterAll
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  /**
   * The real CLI with the emulator's dummy credentials in its environment (in Lambda the role's
   * credentials are in the function's own environment and reach the CLI unchanged).
   */
  record EmulatorCredentials(PulumiCommand cli, String region) implements PulumiCommand {
    @Override
    public Version version() {
      return cli.version();
    }

    @Override
    public CommandResult run(List<String> args, CommandRunOptions options)
        throws AutomationException {
      return cli.run(
          args,
          options.withAdditionalEnv(
              Map.of(
                  "AWS_ACCESS_KEY_ID", "test",
                  "AWS_SECRET_ACCESS_KEY", "test",
                  "AWS_REGION", region)));
    }
  }

  private void createBucket(String name) throws IOException, InterruptedException {
    // The emulator does not check signatures; the SDK's S3 client is not a dependency here.
    String body =
        aws.region().equals("us-east-1")
            ? ""
            : "<CreateBucketConfiguration><LocationConstraint>"
                + aws.region()
                + "</LocationConstraint></CreateBucketConfiguration>";
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(aws.endpoint().resolve("/" + name))
                    .PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /** Every object of the state bucket, as text. */
  private List<String> stateObjects() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String listing =
        http.send(
                HttpRequest.newBuilder(aws.endpoint().resolve("/" + bucket + "?list-type=2"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    List<String> objects = new ArrayList<>();
    Matcher keys = Pattern.compile("<Key>([^<]+)</Key>").matcher(listing);
    while (keys.find()) {
      objects.add(
          http.send(
                  HttpRequest.newBuilder(
                          URI.create(aws.endpoint() + "/" + bucket + "/" + keys.group(1)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body());
    }
    return objects;
  }

  private DeploymentRun run(Operation op, Map<String, Object> inputs, String approved) {
    return service.run(
        new DeploymentRequest(
            "acme",
            "lab",
            "pool",
            op,
            inputs,
            approved,
            op == Operation.DESTROY ? "acme.lab" : null));
  }

  @Test
  void aPoolIsPreviewedAppliedKeptInS3AndDestroyedWithTheRealEngine(AwsTestEnvironment aws)
      throws Exception {
    requireTheCliAndThePlugin();
    setUp(aws);
    Map<String, Object> inputs = Map.of("poolId", "nimbus-it", "comment", "deployed by the runner");

    DeploymentRun preview = run(Operation.PREVIEW, inputs, null);
    assertThat(preview.errors()).isEmpty();
    assertThat(preview.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(preview.steps())
        .singleElement()
        .satisfies(s -> assertThat(s.op()).isEqualTo("create"))
        .satisfies(s -> assertThat(s.type()).isEqualTo("proxmoxve:index/poolLegacy:PoolLegacy"));
    assertThat(sim.cluster().poolIds()).doesNotContain("nimbus-it");

    DeploymentRun up = run(Operation.UP, inputs, preview.runId());
    assertThat(up.errors()).isEmpty();
    assertThat(up.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(sim.cluster().poolIds()).contains("nimbus-it");
    assertThat(store.links(LAB, "nimbus-pool/acme.lab")).containsOnlyKeys("pool/nimbus-it");

    // The state is in the bucket, the token only as ciphertext.
    List<String> state = stateObjects();
    assertThat(state).isNotEmpty().noneMatch(o -> o.contains(token.secret()));
    assertThat(String.join("\n", state)).contains("ciphertext");

    // A second preview, in a fresh work directory, reads the state (and its secrets manager) back
    // from S3 and sees nothing to change.
    DeploymentRun again = run(Operation.PREVIEW, inputs, null);
    assertThat(again.status()).as(String.join("\n", again.errors())).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(again.steps()).allSatisfy(s -> assertThat(s.op()).isEqualTo("same"));

    DeploymentRun destroyed = run(Operation.DESTROY, null, null);
    assertThat(destroyed.status())
        .as(String.join("\n", destroyed.errors()))
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(sim.cluster().poolIds()).doesNotContain("nimbus-it");
    assertThat(store.links(LAB, "nimbus-pool/acme.lab")).isEmpty();
  }
}
