package dev.nimbus.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.events.CiChangeEvent;
import dev.nimbus.model.CiStatus;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
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
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local run as a user lives it, in process: the environment (emulator, simulator, registered
 * connection) once, then successive runs through the real handlers, like successive {@code
 * bin/discover} commands, with an admin's change through {@code bin/pve} in between.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalRunIT {
  private Path dir;

  private LocalEnvironment env;

  /** The text a run printed: stdout and stderr. */
  private record Printed(LocalRun.Result result, String out, String err) {}

  @BeforeAll
  void startTheEnvironment(AwsTestEnvironment aws, @TempDir Path tempDir) {
    dir = tempDir;
    LocalEnvironment.Names names =
        new LocalEnvironment.Names(
            aws.tableName(),
            aws.keyAlias(),
            "discovery-" + aws.tableName(),
            "ci-events-" + aws.tableName(),
            "local",
            "lab");
    env = LocalEnvironment.start(LocalOptions.parse(List.of()), dir, names, System.err);
  }

  @AfterAll
  void stopTheEnvironment() {
    if (env != null) {
      env.close();
    }
  }

  private Printed discover(String... args) {
    return discover(Map.of(), args);
  }

  private Printed discover(Map<String, String> variables, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    LocalRun.Result result =
        new LocalRun(
                EnvironmentInfo.read(dir).orElseThrow(),
                LocalOptions.parse(List.of(args)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                variables,
                Clock.systemUTC())
            .run();
    return new Printed(
        result, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  @Order(1)
  void theFirstRunPrintsEachPhaseAndASummaryOfTheWholeDemoCluster() {
    Printed run = discover();

    assertThat(run.result().succeeded()).isTrue();
    assertThat(run.out())
        .contains("[1/5] AWS: ")
        .contains("[2/5] Proxmox: simulator PVE 9.1")
        .contains("[3/5] Connection local/lab")
        .contains(
            "[4/5] Schedule tick (scheduleDiscovery, ScheduledEvent): 1 due, queued local/lab")
        .contains("[5/5] Run (runDiscovery, SQSEvent with 1 message): done")
        .contains("Discovery of local/lab succeeded")
        .contains("9 Compute")
        .contains("3 Host");
    long live = run.result().cis().stream().filter(c -> c.status().isLive()).count();
    assertThat(run.result().run().created()).isEqualTo((int) live);
    assertThat(run.result().ciWrites()).isEqualTo((int) live);
    assertThat(run.out()).contains("  CI writes      " + live + "\n");
    assertThat(run.result().events()).hasSize((int) live);
    assertThat(run.out())
        .contains("Change events (" + live + "):")
        .contains("  CREATED node/pve1 pve1\n")
        .contains("... and " + (live - SummaryPrinter.MAX_EVENT_LINES) + " more");
  }

  @Test
  @Order(2)
  void theEnvironmentFilesHoldNoDiscoverySecretAndTheAdminTokenIsPrivate() throws IOException {
    Path adminToken = dir.resolve(EnvironmentInfo.ADMIN_TOKEN_FILE);
    String token = Files.readString(adminToken).strip();
    String secret = token.substring(token.indexOf('=') + 1);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(adminToken)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(dir.resolve(EnvironmentInfo.FILE)))
        .contains("\"tableName\"")
        .doesNotContain(secret)
        .doesNotContainIgnoringCase("secret\" :");
  }

  @Test
  @Order(3)
  void aSecondRunWithinTheScheduleAsksForADiscoverNowAndWritesNoCi() {
    Printed run = discover();

    assertThat(run.result().succeeded()).isTrue();
    assertThat(run.out())
        .contains("local/lab is not due before")
        .contains("queued a discover-now request for it")
        .contains("  CI writes      0\n")
        .contains("Change events: none");
    assertThat(run.result().ciWrites()).isZero();
    assertThat(run.result().run().unchanged()).isEqualTo(run.result().cis().size());
    assertThat(run.result().events()).isEmpty();
  }

  @Test
  @Order(4)
  void aChangeMadeWithTheAdminCommandShowsUpInTheNextRunWithItsDiffAndAuthor() {
    ByteArrayOutputStream adminOut = new ByteArrayOutputStream();
    int code =
        PveAdmin.run(
            // The asynchronous API: a qmconfig task names the author. (A plain `set` is a
            // synchronous PUT that leaves only a cluster log line, as on a real cluster.) The VM
            // is stopped, so the change applies at once rather than waiting as a pending change.
            List.of("set", "--async", "qemu/104", "cores=6"),
            dir,
            new PrintStream(adminOut, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    assertThat(adminOut.toString(StandardCharsets.UTF_8))
        .contains("qemu/104 (win-app) on ")
        .contains("set cores=6 as root@pam!local-admin (qmconfig task)");

    Printed run = discover();

    assertThat(run.result().run().updated()).isEqualTo(1);
    assertThat(run.result().ciWrites()).isEqualTo(1);
    assertThat(run.result().events()).hasSize(1);
    CiChangeEvent event = run.result().events().getFirst();
    assertThat(event.ci().nativeKey()).isEqualTo("qemu/104");
    assertThat(event.changedProperties())
        .anySatisfy(
            c -> {
              assertThat(c.path()).isEqualTo("attributes.cores");
              assertThat(c.updatedValue()).isEqualTo(6L);
            });
    assertThat(event.attribution().user()).isEqualTo("root@pam!local-admin");
    assertThat(run.out())
        .containsPattern("UPDATED qemu/104 win-app: .*attributes\\.cores \\d+ -> 6")
        .contains("by root@pam!local-admin (UPID:");
  }

  @Test
  @Order(5)
  void jsonOutputPutsOnlyTheCisOnStdoutAndEverythingElseOnStderr() {
    Printed run = discover("--output", "json");

    JsonNode cis = JsonMapper.builder().build().readTree(run.out());
    assertThat(cis.isArray()).isTrue();
    assertThat(cis).hasSize(run.result().cis().size());
    JsonNode web = null;
    for (JsonNode ci : cis) {
      assertThat(new ArrayList<>(ci.propertyNames()))
          .containsExactly(
              "id",
              "semanticType",
              "providerType",
              "nativeKey",
              "name",
              "attributes",
              "relationships",
              "status");
      if (ci.get("nativeKey").asString().equals("qemu/104")) {
        web = ci;
      }
    }
    assertThat(web).isNotNull();
    assertThat(web.get("attributes").get("cores").asInt()).isEqualTo(6);
    assertThat(web.get("status").asString()).isEqualTo(CiStatus.OK.name());
    StoredCi stored =
        run.result().cis().stream()
            .filter(c -> c.nativeKey().equals("qemu/104"))
            .findFirst()
            .orElseThrow();
    assertThat(web.get("id").asString()).isEqualTo(stored.id().value());
    assertThat(run.err()).contains("[5/5] Run").contains("Discovery of local/lab succeeded");
  }

  @Test
  @Order(6)
  void aRealEndpointIsRegisteredWithItsSecretFromTheEnvironmentAndNeverPrintsIt()
      throws IOException {
    // The simulator stands in for a real cluster here, reached with its administrator token.
    EnvironmentInfo.SimulatorInfo sim = EnvironmentInfo.read(dir).orElseThrow().simulator();
    String token = Files.readString(dir.resolve(EnvironmentInfo.ADMIN_TOKEN_FILE)).strip();
    String tokenId = token.substring(0, token.indexOf('='));
    String secret = token.substring(token.indexOf('=') + 1);
    String endpoint = sim.url().replace("/api2/json", "");

    Printed run =
        discover(
            Map.of(LocalOptions.SECRET_VARIABLE, secret),
            "--endpoint",
            endpoint,
            "--token-id",
            tokenId,
            "--fingerprint",
            sim.entryNode() + "=" + sim.fingerprint(),
            "--name",
            "direct");

    assertThat(run.result().succeeded()).isTrue();
    assertThat(run.result().connection().toString()).isEqualTo("local/direct");
    assertThat(run.out())
        .contains("[2/5] Proxmox: " + endpoint)
        .contains("registered local/direct")
        .contains("queued local/direct")
        .doesNotContain(secret);
    assertThat(run.err()).doesNotContain(secret);
    assertThat(run.result().run().created()).isEqualTo(run.result().cis().size());
  }
}
