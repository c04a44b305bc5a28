package dev.nimbus.local;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.testing.aws.AwsBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the running local environment offers, as {@code .local/env.json}: where the AWS emulator
 * answers and the names of the table, key, queue and bus on it, and the simulated cluster if one
 * runs. It holds no secret: the discovery token's secret lives only KMS-encrypted in the table.
 *
 * @param pid the environment process, alive while the environment runs
 * @param simulator null when the environment runs without a simulator (a real Proxmox)
 */
public record EnvironmentInfo(
    long pid,
    String startedAt,
    String backendKind,
    String awsEndpoint,
    String region,
    String tableName,
    String keyAlias,
    String queueUrl,
    String eventBusName,
    String tenantId,
    SimulatorInfo simulator) {

  static final String FILE = "env.json";
  static final String PID_FILE = "environment.pid";
  static final String ADMIN_TOKEN_FILE = "admin-token";
  static final String CA_FILE = "pve-root-ca.pem";
  static final String LOG_FILE = "environment.log";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * The simulated cluster.
   *
   * @param connectionId the connection registered for it, {@code local/<connectionId>}
   * @param fingerprint the entry node's certificate fingerprint (all nodes are pinned)
   */
  public record SimulatorInfo(
      String version,
      int nodes,
      int guests,
      String url,
      String caFile,
      String entryNode,
      String fingerprint,
      String connectionId,
      String discoveryTokenId) {}

  public AwsBackend backend() {
    return new AwsBackend(AwsBackend.Kind.valueOf(backendKind), URI.create(awsEndpoint), region);
  }

  public Optional<SimulatorInfo> simulatorInfo() {
    return Optional.ofNullable(simulator);
  }

  /** The connection of the simulated cluster. */
  public Optional<ConnectionRef> simulatorConnection() {
    return simulatorInfo().map(s -> new ConnectionRef(tenantId, s.connectionId()));
  }

  /** True while the process that wrote this file runs. */
  public boolean processAlive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Reads {@code dir/env.json}, if there is one. */
  public static Optional<EnvironmentInfo> read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(Files.readString(file), EnvironmentInfo.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Writes {@code dir/env.json} and {@code dir/environment.pid}, each replaced atomically. */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      replace(
          dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
      replace(dir.resolve(PID_FILE), pid + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + dir, e);
    }
  }

  private static void replace(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
