package dev.nimbus.pulumi.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.deployments.InMemoryDeploymentRunStore;
import dev.nimbus.infra.programs.ProgramCatalog;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.testing.lambda.LambdaHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code deploy} function bean through Spring Cloud Function's {@code FunctionInvoker}, the
 * Lambda handler, with JSON in and JSON out: the runner service behind it runs against the fake
 * Pulumi command, an in-memory run store and a fixed connection, so this needs no AWS emulator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PulumiRunnerFunctionTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ConnectionRef REF = new ConnectionRef("acme", "lab");

  /** What the fake application's beans are built from (the invoker starts its own context). */
  static FakePulumiCommand cli;

  static InMemoryDeploymentRunStore store;
  static Path tmp;

  /** The function bean and a runner service on fakes; no AWS client, no CLI. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(PulumiRunnerFunctions.class)
  static class FakeCliApplication {
    @Bean
    DeploymentService deploymentService() {
      return new DeploymentService(
          ProgramCatalog.standard(),
          DeploymentServiceTest::connection,
          ref -> {
            if (!ref.equals(REF)) {
              throw new dev.nimbus.connections.ConnectionNotFoundException(ref);
            }
            return DeploymentServiceTest.inventory();
          },
          store,
          new RunnerSettings(
              "nimbus-state",
              "stacks",
              "eu-central-1",
              "alias/nimbus-pulumi",
              tmp.resolve("home"),
              tmp.resolve("work")),
          () -> cli,
          Clock.systemUTC());
    }

    @Bean
    DriftService driftService() {
      return new DriftService(
          ProgramCatalog.standard(),
          REF::equals,
          DeploymentServiceTest::connection,
          new dev.nimbus.cmdb.InMemoryCiRepository(),
          store,
          new dev.nimbus.deployments.drift.InMemoryDriftStore(),
          events -> List.of(),
          new RunnerSettings(
              "nimbus-state",
              "stacks",
              "eu-central-1",
              "alias/nimbus-pulumi",
              tmp.resolve("home"),
              tmp.resolve("work")),
          () -> cli,
          Clock.systemUTC());
    }
  }

  private LambdaHarness lambda;

  @BeforeAll
  void start() throws IOException {
    tmp = Files.createTempDirectory("runner-function");
    cli =
        new FakePulumiCommand(
            Map.of(
                "preview", "preview-vm.jsonl", "up", "up-vm.jsonl", "destroy", "destroy-vm.jsonl"));
    store = new InMemoryDeploymentRunStore();
    lambda = LambdaHarness.forApplication(FakeCliApplication.class).function("deploy").start();
  }

  @AfterAll
  void clear() {
    lambda.close();
  }

  private JsonNode invoke(Map<String, Object> request) throws IOException {
    String text =
        new String(lambda.invoke(JSON.writeValueAsBytes(request)), StandardCharsets.UTF_8);
    // Whatever the answer, it never carries the token secret.
    assertThat(text).doesNotContain(DeploymentServiceTest.SECRET);
    return JSON.readTree(text);
  }

  private static Map<String, Object> request(String operation) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("operation", operation);
    m.put("tenantId", "acme");
    m.put("connectionId", "lab");
    m.put("program", "vm");
    return m;
  }

  @Test
  void aDriftRequestIsRoutedToTheDriftCheckAndBadInputIsAFieldError() throws IOException {
    long before = cli.invocations.size();
    JsonNode ok = invoke(request("drift"));
    assertThat(ok.get("status").asInt()).isEqualTo(200);
    // No stack of the vm program manages anything on this connection yet: nothing to refresh.
    assertThat(ok.at("/drift/stacks").size()).isZero();
    assertThat(ok.at("/drift/connection/tenantId").asString()).isEqualTo("acme");
    assertThat(cli.invocations.size()).isEqualTo(before);

    Map<String, Object> bad = request("drift");
    bad.put("program", "k8s");
    JsonNode refused = invoke(bad);
    assertThat(refused.get("status").asInt()).isEqualTo(400);
    assertThat(refused.at("/errors/0/field").asString()).isEqualTo("program");
    assertThat(cli.invocations.size()).isEqualTo(before);
  }

  private long cliCommands(String name) {
    return cli.commands().stream().filter(c -> c.getFirst().equals(name)).count();
  }

  @Test
  void previewApproveUpStatusAndDestroyThroughTheLambdaHandler() throws IOException {
    long writesBefore = store.writes();
    Map<String, Object> preview = request("preview");
    preview.put("inputs", DeploymentServiceTest.vmInputs());

    JsonNode previewed = invoke(preview);

    assertThat(previewed.get("status").asInt()).isEqualTo(200);
    JsonNode previewRun = previewed.get("run");
    assertThat(previewRun.get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(previewRun.get("operation").asString()).isEqualTo("PREVIEW");
    assertThat(previewRun.get("stack").asString()).isEqualTo("acme.lab");
    assertThat(previewRun.at("/steps/0/op").asString()).isEqualTo("create");
    assertThat(previewRun.at("/steps/0/type").asString())
        .isEqualTo("proxmoxve:index/vmLegacy:VmLegacy");
    assertThat(previewRun.at("/summary/create").asInt()).isEqualTo(2);
    assertThat(previewRun.at("/inputs/vmid").asInt()).isEqualTo(130);
    assertThat(cliCommands("preview")).isEqualTo(1);
    assertThat(cliCommands("up")).isZero();

    // Approve: up names the preview's run id and repeats its inputs.
    Map<String, Object> up = request("UP");
    up.put("inputs", DeploymentServiceTest.vmInputs());
    up.put("approvedPreviewRunId", previewRun.get("runId").asString());
    JsonNode applied = invoke(up);

    assertThat(applied.get("status").asInt()).isEqualTo(200);
    assertThat(applied.at("/run/status").asString()).isEqualTo("SUCCEEDED");
    assertThat(applied.at("/run/linkedCis/qemu~1130").asString())
        .isEqualTo("urn:pulumi:acme.lab::nimbus-vm::proxmoxve:index/vmLegacy:VmLegacy::app-01");
    assertThat(cliCommands("up")).isEqualTo(1);

    // Status by run id, and the newest run of the program's stack (what an async caller polls).
    Map<String, Object> byId = request("status");
    byId.remove("program");
    byId.put("runId", previewRun.get("runId").asString());
    JsonNode found = invoke(byId);
    assertThat(found.get("status").asInt()).isEqualTo(200);
    assertThat(found.at("/run/operation").asString()).isEqualTo("PREVIEW");
    JsonNode latest = invoke(request("status"));
    assertThat(latest.at("/run/runId").asString()).isEqualTo(applied.at("/run/runId").asString());

    Map<String, Object> destroy = request("destroy");
    destroy.put("confirmStack", "acme.lab");
    JsonNode destroyed = invoke(destroy);

    assertThat(destroyed.get("status").asInt()).isEqualTo(200);
    assertThat(destroyed.at("/run/summary/delete").asInt()).isEqualTo(2);
    assertThat(destroyed.at("/run/linkedCis").isEmpty()).isTrue();
    assertThat(store.links(REF, "nimbus-vm/acme.lab")).isEmpty();
    assertThat(cliCommands("destroy")).isEqualTo(1);
    // Preview: start and end. Up: start, the VM's finished step, end, one link. Destroy: start, the
    // VM's finished step, end, the link removed. Status queries read only.
    assertThat(store.writes() - writesBefore).isEqualTo(2 + 4 + 4);
  }

  @Test
  void requestsRefusedBeforeAnyEngineCallAnswer4xxWithFieldErrors() throws IOException {
    int invocations = cli.invocations.size();

    JsonNode unknownOperation = invoke(request("deploy"));
    assertThat(unknownOperation.get("status").asInt()).isEqualTo(400);
    assertThat(unknownOperation.at("/errors/0/field").asString()).isEqualTo("operation");
    assertThat(unknownOperation.get("run").isNull()).isTrue();

    JsonNode noOperation = invoke(Map.of("tenantId", "acme"));
    assertThat(noOperation.at("/errors/0/field").asString()).isEqualTo("operation");

    Map<String, Object> badInputs = request("preview");
    Map<String, Object> inputs = DeploymentServiceTest.vmInputs();
    inputs.put("vmid", 99);
    inputs.put("node", "pve9");
    badInputs.put("inputs", inputs);
    JsonNode invalid = invoke(badInputs);
    assertThat(invalid.get("status").asInt()).isEqualTo(400);
    assertThat(invalid.get("errors").valueStream().map(e -> e.get("field").asString()).toList())
        .containsExactly("inputs.node", "inputs.vmid");

    Map<String, Object> unknownConnection = request("preview");
    unknownConnection.put("connectionId", "gone");
    unknownConnection.put("inputs", DeploymentServiceTest.vmInputs());
    JsonNode missing = invoke(unknownConnection);
    assertThat(missing.get("status").asInt()).isEqualTo(404);
    assertThat(missing.at("/errors/0/field").asString()).isEqualTo("connectionId");

    Map<String, Object> unapproved = request("up");
    unapproved.put("inputs", DeploymentServiceTest.vmInputs());
    JsonNode refused = invoke(unapproved);
    assertThat(refused.get("status").asInt()).isEqualTo(409);
    assertThat(refused.at("/errors/0/field").asString()).isEqualTo("approvedPreviewRunId");

    Map<String, Object> unconfirmed = request("destroy");
    unconfirmed.put("confirmStack", "acme");
    JsonNode notConfirmed = invoke(unconfirmed);
    assertThat(notConfirmed.get("status").asInt()).isEqualTo(409);
    assertThat(notConfirmed.at("/errors/0/field").asString()).isEqualTo("confirmStack");

    Map<String, Object> noRun = request("status");
    noRun.put("runId", "20261130T070000123Z-00000000");
    assertThat(invoke(noRun).get("status").asInt()).isEqualTo(404);
    noRun.put("runId", "../../other-tenant");
    JsonNode badId = invoke(noRun);
    assertThat(badId.get("status").asInt()).isEqualTo(400);
    assertThat(badId.at("/errors/0/field").asString()).isEqualTo("runId");

    assertThat(cli.invocations).hasSize(invocations);
    assertThat(List.of(unknownOperation, invalid, missing, refused, notConfirmed))
        .allSatisfy(a -> assertThat(a.get("errors")).isNotEmpty());
  }
}
