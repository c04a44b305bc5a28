package dev.nimbus.local;

import dev.nimbus.aws.AwsClients;
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
import dev.nimbus.pvesim.Node;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.ScaleGenerator;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.aws.AwsBackend;
import dev.nimbus.testing.aws.AwsEmulator;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.aws.TemplateTable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The long-lived background process of the local run: the AWS emulator with the table, KMS key,
 * discovery queue and event bus of a deployment, and (unless a real Proxmox is used) a simulated
 * cluster whose discovery connection is registered with its token encrypted under the key. State
 * lives as long as this process, so a second {@code bin/discover} sees what the first stored.
 *
 * <p>The discovery token's secret goes from the simulator straight into {@link
 * ConnectionService#create} and never touches disk. The simulator's administrator token, which
 * {@code bin/pve} uses to change the cluster as an admin would, is written to {@code
 * .local/admin-token} (mode 600): it belongs to a throw-away demo cluster on the loopback
 * interface.
 */
public final class LocalEnvironment implements AutoCloseable {
  static final String ACTOR = "bin/discover";
  static final String ADMIN_USER = "root@pam";
  static final String ADMIN_TOKEN_NAME = "local-admin";

  private final EnvironmentInfo info;
  private final PveSimulator simulator;
  private final AwsClients clients;
  private final Path dir;

  private LocalEnvironment(
      EnvironmentInfo info, PveSimulator simulator, AwsClients clients, Path dir) {
    this.info = info;
    this.simulator = simulator;
    this.clients = clients;
    this.dir = dir;
  }

  /** The names of what the environment creates; a deployment's names with a {@code local} stem. */
  public record Names(
      String tableName,
      String keyAlias,
      String queueName,
      String eventBusName,
      String tenantId,
      String simulatorConnectionId) {
    public static Names defaults() {
      return new Names(
          "nimbus-local",
          "alias/nimbus-local-proxmox-tokens",
          "nimbus-local-discovery",
          "nimbus-local-ci-events",
          "local",
          "lab");
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Path dir = EnvironmentProcess.localDir();
    LocalEnvironment env;
    try {
      env = start(LocalOptions.parse(Arrays.asList(args)), dir, Names.defaults(), System.out);
    } catch (RuntimeException e) {
      System.err.println("the local environment could not start: " + e);
      e.printStackTrace();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(env::close, "local-environment-stop"));
    System.out.println("ready; stop with bin/discover --stop");
    System.out.flush();
    new CountDownLatch(1).await();
  }

  /**
   * Starts (or, on an emulator that outlives this process, reuses) everything and writes {@code
   * dir/env.json}. Progress goes to {@code log}.
   */
  public static LocalEnvironment start(
      LocalOptions options, Path dir, Names names, PrintStream log) {
    AwsBackend backend = AwsEmulator.backend();
    log.println("AWS: " + backend.kind() + " at " + backend.endpoint());
    AwsClients clients = AwsTestEnvironment.clientsFor(backend);
    ensureTable(clients, names.tableName(), log);
    ensureKey(clients, names.keyAlias(), log);
    String queueUrl;
    try (SqsClient sqs = clients.sqs()) {
      queueUrl =
          sqs.createQueue(
                  b ->
                      b.queueName(names.queueName())
                          .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60")))
              .queueUrl();
    }
    try (EventBridgeClient events = clients.eventBridge()) {
      events.createEventBus(b -> b.name(names.eventBusName()));
    } catch (ResourceAlreadyExistsException exists) {
      // kept from an earlier environment on the same emulator
    }
    log.println("queue " + queueUrl + ", event bus " + names.eventBusName());

    PveSimulator sim = null;
    EnvironmentInfo.SimulatorInfo simInfo = null;
    if (options.real().isEmpty()) {
      try {
        Files.createDirectories(dir);
        sim = startSimulator(options.simulator());
        Path ca = sim.writeCaCertificate(dir.resolve(EnvironmentInfo.CA_FILE).toAbsolutePath());
        ApiToken discovery = sim.createToken("nimbus@pve", "discovery", Roles.PVE_AUDITOR, true);
        ConnectionRef ref = new ConnectionRef(names.tenantId(), names.simulatorConnectionId());
        register(clients, names, sim, ref, discovery);
        writeAdminToken(
            dir, sim.createToken(ADMIN_USER, ADMIN_TOKEN_NAME, Roles.ADMINISTRATOR, false));
        simInfo =
            new EnvironmentInfo.SimulatorInfo(
                sim.config().version().version(),
                sim.cluster().nodes().size(),
                sim.cluster().guests().size(),
                sim.baseUri().toString(),
                ca.toString(),
                sim.entryNode(),
                sim.fingerprint(sim.entryNode()),
                ref.connectionId(),
                discovery.fullId());
        log.println("simulator " + sim + ", connection " + ref + " registered");
      } catch (IOException | RuntimeException e) {
        if (sim != null) {
          sim.close();
        }
        clients.close();
        throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
      }
    }
    EnvironmentInfo info =
        new EnvironmentInfo(
            ProcessHandle.current().pid(),
            Instant.now().toString(),
            backend.kind().name(),
            backend.endpoint().toString(),
            backend.region(),
            names.tableName(),
            names.keyAlias(),
            queueUrl,
            names.eventBusName(),
            names.tenantId(),
            simInfo);
    info.write(dir);
    return new LocalEnvironment(info, sim, clients, dir);
  }

  public EnvironmentInfo info() {
    return info;
  }

  /** The simulated cluster, empty when the environment serves a real Proxmox. */
  public Optional<PveSimulator> simulator() {
    return Optional.ofNullable(simulator);
  }

  /** Stops the simulator and removes the files that describe this environment. */
  @Override
  public void close() {
    if (simulator != null) {
      simulator.close();
    }
    clients.close();
    for (String f :
        new String[] {
          EnvironmentInfo.FILE, EnvironmentInfo.PID_FILE, EnvironmentInfo.ADMIN_TOKEN_FILE
        }) {
      try {
        Files.deleteIfExists(dir.resolve(f));
      } catch (IOException e) {
        System.err.println("could not delete " + dir.resolve(f) + ": " + e.getMessage());
      }
    }
  }

  private static PveSimulator startSimulator(LocalOptions.Simulator s) {
    SimulatorConfig config = SimulatorConfig.demo().withVersion(PveVersion.parse(s.version()));
    if (s.nodes().isPresent()) {
      config = config.withLayout(new ScaleGenerator(s.nodes().get(), s.guests().orElseThrow()));
    }
    return PveSimulator.start(config);
  }

  private static void ensureTable(AwsClients clients, String table, PrintStream log) {
    try (DynamoDbClient dynamo = clients.dynamoDb()) {
      try {
        dynamo.describeTable(b -> b.tableName(table));
        log.println("table " + table + " (kept)");
      } catch (ResourceNotFoundException missing) {
        TemplateTable.read(TemplateTable.locateTemplate()).create(dynamo, table);
        log.println("table " + table + " created as template.yaml declares it");
      }
    }
  }

  private static void ensureKey(AwsClients clients, String alias, PrintStream log) {
    try (KmsClient kms = clients.kms()) {
      boolean exists =
          kms.listAliasesPaginator(b -> {}).aliases().stream()
              .map(AliasListEntry::aliasName)
              .anyMatch(alias::equals);
      if (exists) {
        log.println("KMS key " + alias + " (kept)");
        return;
      }
      String keyId =
          kms.createKey(b -> b.description("Nimbus local run: Proxmox token secrets"))
              .keyMetadata()
              .keyId();
      kms.createAlias(b -> b.aliasName(alias).targetKeyId(keyId));
      log.println("KMS key " + alias + " created");
    }
  }

  /**
   * Registers the simulator's discovery connection. A connection of the same id left by an earlier
   * environment on a persistent emulator is replaced (new port, certificates and token); its CIs
   * stay, keyed by the connection id.
   */
  private static void register(
      AwsClients clients, Names names, PveSimulator sim, ConnectionRef ref, ApiToken token) {
    ConnectionService connections =
        ConnectionService.create(
            clients, new ConnectionsConfig(names.tableName(), names.keyAlias()), Clock.systemUTC());
    connections.find(ref).ifPresent(c -> connections.delete(ref, c.version(), ACTOR));
    Map<String, String> pins = new TreeMap<>();
    for (Node node : sim.cluster().nodes()) {
      pins.put(node.name(), sim.fingerprint(node.name()));
    }
    connections.create(
        ref.tenantId(),
        new ConnectionDraft(
            ref.connectionId(),
            new ConnectionSettings(
                "Simulated cluster (PVE " + sim.config().version().version() + ")",
                new Endpoint("127.0.0.1", sim.port(), Optional.empty()),
                Optional.empty(),
                TlsTrust.pinned(pins),
                token.fullId(),
                new DiscoveryScope.Everything(),
                "rate(15 minutes)"),
            Secret.of(token.secret()),
            Map.of()),
        ACTOR);
  }

  /** {@code user@realm!name=secret}, the value of a {@code PVEAPIToken} header; mode 600. */
  private static void writeAdminToken(Path dir, ApiToken token) throws IOException {
    Path file = dir.resolve(EnvironmentInfo.ADMIN_TOKEN_FILE);
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, token.fullId() + "=" + token.secret() + "\n");
  }
}
