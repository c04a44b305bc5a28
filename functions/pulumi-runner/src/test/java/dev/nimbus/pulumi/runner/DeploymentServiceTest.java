package dev.nimbus.pulumi.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.FieldError;
import dev.nimbus.connections.ResolvedConnection;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.deployments.DeploymentRun;
import dev.nimbus.deployments.InMemoryDeploymentRunStore;
import dev.nimbus.deployments.Operation;
import dev.nimbus.deployments.ResourceStep;
import dev.nimbus.deployments.RunStatus;
import dev.nimbus.infra.programs.Inventory;
import dev.nimbus.infra.programs.ProgramCatalog;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner against a fake Pulumi command that records every CLI invocation and its environment
 * and replays recorded engine event streams.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeploymentServiceTest {
  static final String SECRET = "7c1f0e2d-9a8b-4c3d-8e5f-0a1b2c3d4e5f";
  static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOa9v0dDq4yWkz alice@laptop";
  static final ConnectionRef REF = new ConnectionRef("acme", "lab");

  @TempDir Path tmp;
  FakePulumiCommand cli;
  InMemoryDeploymentRunStore store;
  DeploymentService service;
  int resolved;
  final List<String> logLines = new ArrayList<>();
  final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          logLines.add(String.valueOf(r.getMessage()) + " " + r.getThrown());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void setUp() {
    Logger.getLogger("").addHandler(capture);
    Logger.getLogger("").setLevel(java.util.logging.Level.ALL);
    cli =
        new FakePulumiCommand(
            Map.of(
                "preview", "preview-vm.jsonl", "up", "up-vm.jsonl", "destroy", "destroy-vm.jsonl"));
    store = new InMemoryDeploymentRunStore();
    service =
        new DeploymentService(
            ProgramCatalog.standard(),
            ref -> {
              resolved++;
              return connection(ref);
            },
            ref -> inventory(),
            store,
            new RunnerSettings(
                "nimbus-state",
                "stacks",
                "eu-central-1",
                "alias/nimbus-pulumi",
                tmp.resolve("home"),
                tmp.resolve("work")),
            () -> cli,
            Clock.fixed(Instant.parse("2026-11-30T07:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void tearDown() {
    Logger.getLogger("").removeHandler(capture);
  }

  static ResolvedConnection connection(ConnectionRef ref) {
    return new ResolvedConnection(
        ref,
        Endpoint.of("pve1.example.test"),
        Optional.empty(),
        TlsTrust.pinned(Map.of("pve1", "AB:".repeat(31) + "AB")),
        "nimbus@pve!deploy",
        Secret.of(SECRET),
        Map.of(),
        DiscoveryScope.everything());
  }

  static Inventory inventory() {
    var guests = new TreeMap<Integer, Inventory.Guest>();
    guests.put(9000, new Inventory.Guest(9000, "qemu", "pve1", "debian-12", true));
    return new Inventory(
        Set.of("pve1"),
        Map.of(
            "local-lvm",
            new Inventory.Storage("local-lvm", true, Set.of(), Set.of("images", "rootdir"))),
        guests,
        Set.of(),
        Set.of(),
        Set.of(),
        Set.of(),
        Map.of("pve1", Set.of("vmbr0")),
        Set.of());
  }

  static Map<String, Object> vmInputs() {
    Map<String, Object> m = new HashMap<>();
    m.put("node", "pve1");
    m.put("vmid", 130);
    m.put("name", "app-01");
    m.put("template", 9000);
    m.put("user", "deploy");
    m.put("sshKeys", List.of(KEY));
    m.put("ipConfig", List.of("ip=10.20.0.30/24,gw=10.20.0.1"));
    return m;
  }

  DeploymentRun preview() {
    return service.run(
        new DeploymentRequest("acme", "lab", "vm", Operation.PREVIEW, vmInputs(), null, null));
  }

  @Test
  void previewSelectsOrCreatesTheStackWithStateAndSecretsSettingsAndRecordsTheDiff() {
    DeploymentRun run = preview();

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.stack()).isEqualTo("acme.lab");
    List<List<String>> cmds = cli.commands();
    assertThat(cmds.get(0)).containsExactly("stack", "select", "--stack", "acme.lab");
    assertThat(cmds.get(1))
        .containsExactly(
            "stack",
            "init",
            "acme.lab",
            "--secrets-provider",
            "awskms://alias/nimbus-pulumi?region=eu-central-1");
    assertThat(cmds.get(2)).startsWith("preview", "--diff");
    assertThat(cmds.get(2)).contains("--exec-kind", "auto.inline");
    assertThat(cmds.get(2).stream().filter(a -> a.startsWith("--client=127.0.0.1:"))).hasSize(1);
    assertThat(cmds).hasSize(3);

    var env = cli.invocations.get(2).env();
    assertThat(env)
        .containsEntry("PULUMI_BACKEND_URL", "s3://nimbus-state/stacks?region=eu-central-1")
        .containsEntry("PULUMI_HOME", tmp.resolve("home").toString())
        .containsKey("SSL_CERT_FILE");

    // The diff per resource from the event stream (stack and provider left out), and its summary.
    assertThat(run.steps())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.op()).isEqualTo("create");
              assertThat(s.type()).isEqualTo("proxmoxve:index/vmLegacy:VmLegacy");
              assertThat(s.urn()).endsWith("::app-01");
            });
    assertThat(run.summary()).isEqualTo(Map.of("create", 2));
    assertThat(store.find(REF, run.runId())).contains(run);
    // One write when the run starts, one when it ends; a preview finishes no resource step.
    assertThat(store.writes()).isEqualTo(2);
  }

  @Test
  void upAppliesAnApprovedPreviewThenLinksTheCreatedCiToItsUrn() {
    DeploymentRun preview = preview();
    cli.invocations.clear();

    DeploymentRun up =
        service.run(
            new DeploymentRequest(
                "acme", "lab", "vm", Operation.UP, vmInputs(), preview.runId(), null));

    assertThat(up.status()).isEqualTo(RunStatus.SUCCEEDED);
    List<List<String>> cmds = cli.commands();
    assertThat(cmds.get(0)).containsExactly("stack", "select", "--stack", "acme.lab");
    assertThat(cmds.get(1)).startsWith("up", "--yes", "--skip-preview");
    assertThat(cmds.get(1)).contains("--exec-kind", "auto.inline");
    // The Automation API reads outputs and the last update's summary after up. (1.36.1 drops the
    // --stack it means to add to stack-level commands, so these rely on the stack selected first.)
    assertThat(cmds.subList(2, cmds.size()))
        .containsExactly(
            List.of("stack", "output", "--json", "--stack", "acme.lab"),
            List.of("stack", "output", "--json", "--show-secrets", "--stack", "acme.lab"),
            List.of("stack", "history", "--json", "--page-size", "1", "--page", "1"));
    assertThat(up.linkedCis())
        .isEqualTo(
            Map.of(
                "qemu/130",
                "urn:pulumi:acme.lab::nimbus-vm::proxmoxve:index/vmLegacy:VmLegacy::app-01"));
    assertThat(store.links(REF, "nimbus-vm/acme.lab")).isEqualTo(up.linkedCis());
    assertThat(up.steps())
        .singleElement()
        .satisfies(s -> assertThat(s.outputs()).containsEntry("vmId", 130.0));
    // Start, one progress write for the finished VM step, end, and one link.
    assertThat(store.writes()).isEqualTo(2 + 4);
  }

  @Test
  void upWithoutAnApprovedPreviewOfTheSameInputsIsRefusedBeforeAnyEngineCall() {
    var none =
        catchThrowableOfType(
            RequestRejected.class,
            () ->
                service.run(
                    new DeploymentRequest(
                        "acme", "lab", "vm", Operation.UP, vmInputs(), null, null)));
    assertThat(none.status()).isEqualTo(409);
    assertThat(none.errors()).extracting(FieldError::field).containsExactly("approvedPreviewRunId");

    DeploymentRun preview = preview();
    cli.invocations.clear();
    Map<String, Object> changed = vmInputs();
    changed.put("cores", 8);
    var differs =
        catchThrowableOfType(
            RequestRejected.class,
            () ->
                service.run(
                    new DeploymentRequest(
                        "acme", "lab", "vm", Operation.UP, changed, preview.runId(), null)));
    assertThat(differs.errors())
        .containsExactly(
            new FieldError(
                "inputs", "differ from the approved preview's inputs; preview them again"));
    assertThat(cli.invocations).isEmpty();
  }

  @Test
  void destroyNeedsTheStackNameAndADeployedStackTakesNoInputsAndRemovesTheLinks() {
    var refused =
        catchThrowableOfType(
            RequestRejected.class,
            () ->
                service.run(
                    new DeploymentRequest(
                        "acme", "lab", "vm", Operation.DESTROY, null, null, "acme")));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errors())
        .containsExactly(
            new FieldError("confirmStack", "must repeat the stack name 'acme.lab' to destroy it"));
    var nothingDeployed =
        catchThrowableOfType(
            RequestRejected.class,
            () ->
                service.run(
                    new DeploymentRequest(
                        "acme", "lab", "vm", Operation.DESTROY, null, null, "acme.lab")));
    assertThat(nothingDeployed.status()).isEqualTo(404);
    assertThat(nothingDeployed.errors())
        .containsExactly(
            new FieldError("program", "nothing was deployed with program 'vm' on this connection"));
    assertThat(cli.invocations).isEmpty();

    DeploymentRun preview = preview();
    service.run(
        new DeploymentRequest(
            "acme", "lab", "vm", Operation.UP, vmInputs(), preview.runId(), null));
    assertThat(store.links(REF, "nimbus-vm/acme.lab")).containsKey("qemu/130");
    cli.invocations.clear();
    long writes = store.writes();

    // No inputs: the engine deletes what the state holds; the program is not run for a destroy.
    DeploymentRun run =
        service.run(
            new DeploymentRequest("acme", "lab", "vm", Operation.DESTROY, null, null, "acme.lab"));

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.inputs()).isEmpty();
    assertThat(cli.commands())
        .containsExactly(
            List.of("stack", "select", "--stack", "acme.lab"),
            // No --client: the inline program is not run for a destroy.
            List.of("destroy", "--yes", "--skip-preview", "--exec-kind", "auto.inline"),
            List.of("stack", "history", "--json", "--page-size", "1", "--page", "1"));
    assertThat(run.summary()).isEqualTo(Map.of("delete", 2));
    assertThat(run.steps()).singleElement().satisfies(s -> assertThat(s.op()).isEqualTo("delete"));
    assertThat(run.linkedCis()).isEmpty();
    assertThat(store.links(REF, "nimbus-vm/acme.lab")).isEmpty();
    // Start, the VM's finished step, end, the link removed.
    assertThat(store.writes() - writes).isEqualTo(4);
  }

  @Test
  void theForwarderListensOnTheConfiguredPortWhileTheEngineRuns() throws Exception {
    int port;
    try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    List<Boolean> listening = new ArrayList<>();
    cli.duringEngineCommand =
        invocation -> {
          try (var s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            listening.add(s.isConnected());
          } catch (java.io.IOException e) {
            listening.add(false);
          }
        };
    var fixed =
        new DeploymentService(
            ProgramCatalog.standard(),
            ref -> connection(ref),
            ref -> inventory(),
            store,
            new RunnerSettings(
                "nimbus-state",
                "stacks",
                "eu-central-1",
                "alias/nimbus-pulumi",
                tmp.resolve("home"),
                tmp.resolve("work"),
                port),
            () -> cli,
            Clock.systemUTC());

    DeploymentRun first =
        fixed.run(
            new DeploymentRequest("acme", "lab", "vm", Operation.PREVIEW, vmInputs(), null, null));
    DeploymentRun second =
        fixed.run(
            new DeploymentRequest("acme", "lab", "vm", Operation.PREVIEW, vmInputs(), null, null));

    // Both runs served the provider at https://127.0.0.1:<port>/, the endpoint the state keeps.
    assertThat(List.of(first.status(), second.status())).containsOnly(RunStatus.SUCCEEDED);
    assertThat(listening).containsExactly(true, true);
    // And the port is released after each run.
    try (var again = new java.net.ServerSocket()) {
      again.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
    }
  }

  @Test
  void theLinksOfAFailedRunKeepWhatItHadMinusItsDeletionsPlusWhatItFinished() {
    String vm = "urn:pulumi:acme.lab::nimbus-vm::proxmoxve:index/vmLegacy:VmLegacy::app-01";
    String ct =
        "urn:pulumi:acme.lab::nimbus-ct::proxmoxve:index/containerLegacy:ContainerLegacy::a";
    Map<String, String> before = Map.of("qemu/130", vm, "lxc/240", ct);
    var deletedVm =
        new ResourceStep(
            "delete", vm, "proxmoxve:index/vmLegacy:VmLegacy", null, null, true, false, null);
    var createdVm =
        new ResourceStep(
            "create",
            vm + "2",
            "proxmoxve:index/vmLegacy:VmLegacy",
            null,
            null,
            true,
            false,
            Map.of("vmId", 131.0));
    var failedVm =
        new ResourceStep(
            "create", vm + "3", "proxmoxve:index/vmLegacy:VmLegacy", null, null, true, true, null);

    assertThat(
            DeploymentService.linksAfter(
                Operation.UP, RunStatus.FAILED, before, List.of(deletedVm, createdVm, failedVm)))
        .isEqualTo(Map.of("lxc/240", ct, "qemu/131", vm + "2"));
    assertThat(
            DeploymentService.linksAfter(
                Operation.UP, RunStatus.SUCCEEDED, before, List.of(createdVm)))
        .isEqualTo(Map.of("qemu/131", vm + "2"));
    assertThat(
            DeploymentService.linksAfter(Operation.DESTROY, RunStatus.SUCCEEDED, before, List.of()))
        .isEmpty();
    assertThat(
            DeploymentService.linksAfter(Operation.PREVIEW, RunStatus.SUCCEEDED, before, List.of()))
        .isSameAs(before);
  }

  @Test
  void aConcurrentUpdateIsRefusedWithAClearMessage() {
    DeploymentRun preview = preview();
    cli.lockedBy = "2f6c0c1e-other-update";
    DeploymentRun up =
        service.run(
            new DeploymentRequest(
                "acme", "lab", "vm", Operation.UP, vmInputs(), preview.runId(), null));
    assertThat(up.status()).isEqualTo(RunStatus.REFUSED);
    assertThat(up.errors())
        .containsExactly(
            "another update of stack acme.lab (nimbus-vm) is in progress: the state backend holds its"
                + " lock; nothing was changed, try again when it has finished");
    assertThat(store.links(REF, "nimbus-vm/acme.lab")).isEmpty();
  }

  @Test
  void badInputUnknownProgramAndUnknownConnectionAnswer4xxBeforeAnyEngineCall() {
    Map<String, Object> bad = vmInputs();
    bad.put("vmid", 99);
    bad.put("ipConfig", List.of("ip=10.20.0.30"));
    var input =
        catchThrowableOfType(
            RequestRejected.class,
            () ->
                service.run(
                    new DeploymentRequest(
                        "acme", "lab", "vm", Operation.PREVIEW, bad, null, null)));
    assertThat(input.status()).isEqualTo(400);
    assertThat(input.errors())
        .extracting(FieldError::field)
        .containsExactly("inputs.vmid", "inputs.ipConfig[0]");

    var program =
        catchThrowableOfType(
            RequestRejected.class,
            () ->
                service.run(
                    new DeploymentRequest(
                        "acme", "lab", "k8s", Operation.PREVIEW, vmInputs(), null, null)));
    assertThat(program.errors())
        .containsExactly(
            new FieldError(
                "program",
                "unknown program; one of vm, container, pool, security-group, sdn-vnet"));

    var svc =
        new DeploymentService(
            ProgramCatalog.standard(),
            ref -> null,
            ref -> {
              throw new dev.nimbus.connections.ConnectionNotFoundException(ref);
            },
            store,
            new RunnerSettings("b", "", "eu-central-1", "alias/k", tmp, tmp),
            () -> cli,
            Clock.systemUTC());
    var missing =
        catchThrowableOfType(
            RequestRejected.class,
            () ->
                svc.run(
                    new DeploymentRequest(
                        "acme", "gone", "vm", Operation.PREVIEW, vmInputs(), null, null)));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(cli.invocations).isEmpty();
    assertThat(resolved).isZero();
  }

  @Test
  void theTokenSecretIsInNoArgumentEnvironmentInputRecordOrLogLine() {
    DeploymentRun preview = preview();
    service.run(
        new DeploymentRequest(
            "acme", "lab", "vm", Operation.UP, vmInputs(), preview.runId(), null));
    for (var inv : cli.invocations) {
      assertThat(String.join(" ", inv.args())).doesNotContain(SECRET);
      assertThat(inv.env().toString()).doesNotContain(SECRET);
      assertThat(String.valueOf(inv.stdin())).doesNotContain(SECRET);
      // No stack configuration carries the token: it goes to the provider as a secret output.
      assertThat(inv.args()).doesNotContain("config");
    }
    for (var run : store.runs(REF)) {
      assertThat(run.toString()).doesNotContain(SECRET);
    }
    assertThat(logLines).isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain(SECRET));
    // The run directory (trust bundle, project file) is gone after the run.
    assertThat(tmp.resolve("work").toFile().list()).isEmpty();
  }
}
