package dev.nimbus.pulumi.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.nimbus.cmdb.InMemoryCiRepository;
import dev.nimbus.deployments.DeploymentRun;
import dev.nimbus.deployments.InMemoryDeploymentRunStore;
import dev.nimbus.deployments.Operation;
import dev.nimbus.deployments.RunIds;
import dev.nimbus.deployments.RunStatus;
import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.deployments.drift.DriftClass;
import dev.nimbus.deployments.drift.DriftProperty;
import dev.nimbus.deployments.drift.DriftStatus;
import dev.nimbus.deployments.drift.InMemoryDriftStore;
import dev.nimbus.infra.programs.ProgramCatalog;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.pulumi.runner.drift.DriftCheck;
import dev.nimbus.pulumi.runner.drift.DriftEventSchema;
import dev.nimbus.pulumi.runner.drift.DriftEvents;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.GuestType;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's acceptance, with recorded engine event streams of a preview-only refresh (derived
 * here in the engine's shape, src/test/resources/drift) and the simulator: each change is made
 * through the simulator's admin API with an author, discovered by the real Proxmox provider into
 * the CMDB, then the drift check runs against the fake Pulumi CLI. Every event is validated against
 * the drift event's JSON Schema.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DriftAcceptanceTest {
  static final ConnectionRef REF = new ConnectionRef("acme", "lab");
  static final String STACK = "nimbus-vm/acme.lab";
  static final String URN =
      "urn:pulumi:acme.lab::nimbus-vm::proxmoxve:index/vmLegacy:VmLegacy::app-01";
  static final String SECRET = "5d3c9e1a-7b2f-4c8d-9e0a-1f2b3c4d5e6f";

  @TempDir Path tmp;
  PveSimulator sim;
  ApiToken auditor;
  ApiToken deployer;
  InMemoryCiRepository cis;
  InMemoryDeploymentRunStore runs;
  InMemoryDriftStore store;
  FakePulumiCommand cli;
  final Map<String, String> streams = new HashMap<>();
  final List<DriftEvents.Event> sent = new CopyOnWriteArrayList<>();
  DriftService service;
  DriftCheck first;

  @BeforeEach
  void deployVm130AndCheckOnce() throws IOException {
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    auditor = sim.createToken("discovery@pve", "nimbus", Roles.PVE_AUDITOR, true);
    deployer = sim.createToken("nimbus@pve", "deploy", Roles.PVE_AUDITOR, true);
    // What an up of the vm program created (stopped, so a config change applies at once).
    Map<String, String> config = new LinkedHashMap<>();
    config.put("name", "app-01");
    config.put("memory", "4096");
    config.put("cores", "2");
    config.put("sockets", "1");
    config.put("onboot", "1");
    config.put("ostype", "l26");
    config.put("net0", "virtio=BC:24:11:00:01:30,bridge=vmbr0,firewall=1");
    config.put("scsi0", "local-lvm:vm-130-disk-0,size=8G");
    sim.admin().createGuest(GuestType.QEMU, "pve1", 130, config, deployer.fullId());
    cis = new InMemoryCiRepository();
    discover();

    runs = new InMemoryDeploymentRunStore();
    runs.replaceLinks(REF, STACK, Map.of("qemu/130", URN));
    Instant applied = Instant.now();
    runs.save(
        new DeploymentRun(
            RunIds.next(applied.minusSeconds(60)),
            REF,
            "vm",
            "acme.lab",
            Operation.UP,
            RunStatus.SUCCEEDED,
            applied.minusSeconds(60),
            applied,
            Map.of("node", "pve1", "vmid", 130, "memoryMiB", 4096),
            "h",
            List.of(),
            Map.of(),
            List.of(),
            Map.of("qemu/130", URN)));
    store = new InMemoryDriftStore();
    streams.put("refresh", "refresh-same.jsonl");
    cli = new FakePulumiCommand(streams);
    cli.stacks.add("acme.lab");
    cli.exportJson = resource("/drift/state-vm-130.json").replace("@@SECRET@@", SECRET);
    service =
        new DriftService(
            ProgramCatalog.standard(),
            REF::equals,
            ref -> SimulatedDiscovery.connection(ref, sim, deployer),
            cis,
            runs,
            store,
            events -> {
              for (DriftEvents.Event e : events) {
                assertThat(DriftEventSchema.errors(DriftEvents.envelope(e)))
                    .as("schema errors of %s", e.drift())
                    .isEmpty();
                sent.add(e);
              }
              return List.of();
            },
            new RunnerSettings(
                "nimbus-state",
                "stacks",
                "eu-central-1",
                "alias/nimbus-pulumi",
                tmp.resolve("home"),
                tmp.resolve("work")),
            () -> cli,
            Clock.systemUTC());
    first = service.check("acme", "lab", null);
    sent.clear();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  void discover() {
    SimulatedDiscovery.discoverSince(cis, REF, sim, auditor);
  }

  void refreshReplays(String stream) {
    streams.put("refresh", "" + stream);
  }

  static String resource(String name) throws IOException {
    try (InputStream in = DriftAcceptanceTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The check found exactly one new drift, sent exactly one schema-valid event, and returns it. */
  Drift onlyNewDrift(DriftCheck check) {
    assertThat(check.stacks()).singleElement().satisfies(s -> assertThat(s.ok()).isTrue());
    assertThat(check.detected()).isEqualTo(1);
    assertThat(check.resolved()).isZero();
    assertThat(sent)
        .singleElement()
        .satisfies(e -> assertThat(e.detailType()).isEqualTo(DriftEvents.DETECTED));
    Drift d = sent.getFirst().drift();
    assertThat(d.stack()).isEqualTo(STACK);
    assertThat(d.nativeKey()).isEqualTo("qemu/130");
    assertThat(d.urn()).isEqualTo(URN);
    assertThat(store.byStack(REF, STACK)).containsExactly(d);
    return d;
  }

  /** A second check without changes writes nothing and sends nothing. */
  void aSecondCheckIsQuiet() {
    sent.clear();
    DriftCheck again = service.check("acme", "lab", null);
    assertThat(again.detected()).isZero();
    assertThat(again.resolved()).isZero();
    assertThat(again.writes()).isZero();
    assertThat(sent).isEmpty();
  }

  @Test
  void aPreviewOnlyRefreshAndTheStateExportAreAllTheCliIsAskedFor() {
    List<List<String>> cmds = cli.commands();
    assertThat(cmds.get(0)).containsExactly("stack", "select", "--stack", "acme.lab");
    assertThat(cmds.get(1))
        .containsExactly("refresh", "--yes", "--preview-only", "--exec-kind", "auto.inline");
    assertThat(cmds.stream().map(List::getFirst))
        .doesNotContain("up", "preview", "destroy")
        .contains("refresh");
    assertThat(cmds.getLast())
        .containsExactly("stack", "export", "--stack", "acme.lab", "--show-secrets");
    // select, refresh, the Automation API's own history read, export: 4 invocations per stack.
    assertThat(cmds).hasSize(4);
    assertThat(cmds.get(2)).startsWith("stack", "history");
    // The summary comes from the event stream's summary event.
    assertThat(first.stacks())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.summary()).isEqualTo(Map.of("same", 3));
              assertThat(s.resources()).isEqualTo(1);
            });
    // The provider's token is in the export (with --show-secrets); it reaches no record or event.
    assertThat(cli.exportJson).contains(SECRET);
    assertThat(store.byConnection(REF).toString()).doesNotContain(SECRET);
  }

  @Test
  void anUnmanagedVmIsListedOnceWithOneEventAndNothingAgain() {
    List<Drift> unmanaged =
        first.open().stream().filter(d -> d.driftClass() == DriftClass.UNMANAGED).toList();
    assertThat(unmanaged.stream().filter(d -> d.nativeKey().equals("qemu/101")))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.stack()).isEqualTo(Drift.UNMANAGED_STACK);
              assertThat(d.driftClass().alarm()).isFalse();
              assertThat(d.semanticType()).isEqualTo("COMPUTE");
            });
    // Managed and template guests are not listed; pools, vnets and security groups are.
    assertThat(unmanaged).extracting(Drift::nativeKey).doesNotContain("qemu/130", "qemu/9000");
    assertThat(unmanaged).extracting(Drift::nativeKey).anyMatch(k -> k.startsWith("pool/"));
    // The first check sent one event per unmanaged CI (the VM included) and stored one record each.
    assertThat(first.detected()).isEqualTo(unmanaged.size());
    assertThat(first.eventsSent()).isEqualTo(unmanaged.size());
    assertThat(first.writes()).isEqualTo(unmanaged.size());
    assertThat(first.open()).hasSize(unmanaged.size());
    aSecondCheckIsQuiet();

    // A new VM nobody deployed: listed once, one event.
    sim.admin().createVm("pve2", 140, "adhoc-01", "dave@pve");
    discover();
    DriftCheck check = service.check("acme", "lab", null);
    assertThat(check.detected()).isEqualTo(1);
    assertThat(sent)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.drift().nativeKey()).isEqualTo("qemu/140");
              assertThat(e.drift().driftClass()).isEqualTo(DriftClass.UNMANAGED);
            });
    assertThat(check.open().stream().filter(d -> d.nativeKey().equals("qemu/140"))).hasSize(1);
    aSecondCheckIsQuiet();
  }

  @Test
  void aMemoryChangeThroughTheAdminApiIsOneManagedFieldDriftNamingItsAuthor() {
    sim.admin().changeGuestConfig(130, "memory", "8192", "alice@pve");
    discover();
    refreshReplays("refresh-memory.jsonl");

    Drift d = onlyNewDrift(service.check("acme", "lab", null));

    assertThat(d.driftClass()).isEqualTo(DriftClass.MANAGED_FIELD_CHANGE);
    assertThat(d.driftClass().alarm()).isTrue();
    assertThat(d.author()).isEqualTo("alice@pve");
    assertThat(d.taskId()).startsWith("UPID:pve1:").contains(":qmconfig:130:alice@pve:");
    assertThat(d.properties())
        .containsExactly(
            new DriftProperty("memory.dedicated", 4096L, 8192L, true, DriftProperty.ENGINE));
    assertThat(DriftEvents.envelope(sent.getFirst())).doesNotContain(SECRET);
    aSecondCheckIsQuiet();

    // Set back in Proxmox: the drift is resolved, with one event.
    sim.admin().changeGuestConfig(130, "memory", "4096", "alice@pve");
    discover();
    refreshReplays("refresh-same.jsonl");
    DriftCheck resolved = service.check("acme", "lab", null);
    assertThat(resolved.resolved()).isEqualTo(1);
    assertThat(sent)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.detailType()).isEqualTo(DriftEvents.RESOLVED);
              assertThat(e.drift().status()).isEqualTo(DriftStatus.RESOLVED);
              assertThat(e.drift().resolvedAt()).isNotNull();
            });
    aSecondCheckIsQuiet();
  }

  @Test
  void aMigrationIsAMoveAndNoReplacement() {
    sim.admin().migrateGuest(130, "pve2", "root@pam");
    discover();
    assertThat(cis.find(REF, "qemu/130").orElseThrow().item().attributes().get("node"))
        .isEqualTo("pve2");
    refreshReplays("refresh-move.jsonl");

    DriftCheck check = service.check("acme", "lab", null);
    Drift d = onlyNewDrift(check);

    assertThat(d.driftClass()).isEqualTo(DriftClass.MOVE);
    assertThat(d.driftClass().alarm()).isFalse();
    assertThat(d.properties())
        .containsExactly(new DriftProperty("nodeName", "pve1", "pve2", true, DriftProperty.ENGINE));
    assertThat(d.author()).isEqualTo("root@pam");
    assertThat(d.recommendation())
        .contains("not drift", "node input to pve2", "do not let an up replace");
    // The join is on the vmid, not the node: the VM is neither gone nor unmanaged.
    assertThat(check.open()).noneMatch(x -> x.driftClass() == DriftClass.GONE);
    assertThat(check.open().stream().filter(x -> x.nativeKey().equals("qemu/130"))).hasSize(1);
    assertThat(check.stacks().getFirst().summary()).doesNotContainKey("replace");
    assertThat(cli.commands().stream().map(List::getFirst)).doesNotContain("up", "destroy");
    aSecondCheckIsQuiet();
  }

  @Test
  void aChangeOfAFieldTheProgramDoesNotSetIsInformational() {
    sim.admin().changeGuestConfig(130, "onboot", "0", "bob@pve");
    discover();
    refreshReplays("refresh-onboot.jsonl");

    Drift d = onlyNewDrift(service.check("acme", "lab", null));

    assertThat(d.driftClass()).isEqualTo(DriftClass.UNMANAGED_FIELD_CHANGE);
    assertThat(d.driftClass().alarm()).isFalse();
    assertThat(d.author()).isEqualTo("bob@pve");
    assertThat(d.properties())
        .containsExactly(new DriftProperty("onBoot", true, false, false, DriftProperty.ENGINE));
    aSecondCheckIsQuiet();
  }

  @Test
  void aFieldTheProviderDoesNotReadIsFoundInTheCmdbOnly() {
    // HA state is not a property of the VM resource at all; the refresh reports nothing.
    sim.admin().setHaState(130, "started");
    discover();

    Drift d = onlyNewDrift(service.check("acme", "lab", null));

    assertThat(d.driftClass()).isEqualTo(DriftClass.UNMANAGED_FIELD_CHANGE);
    assertThat(d.properties())
        .containsExactly(
            new DriftProperty("attributes.haState", null, "started", false, DriftProperty.CMDB));
    aSecondCheckIsQuiet();
  }

  @Test
  void aVmDeletedInProxmoxIsGone() {
    sim.admin().deleteGuest(130, "carol@pve");
    discover();
    refreshReplays("refresh-gone.jsonl");

    Drift d = onlyNewDrift(service.check("acme", "lab", null));

    assertThat(d.driftClass()).isEqualTo(DriftClass.GONE);
    assertThat(d.driftClass().alarm()).isTrue();
    assertThat(d.author()).isEqualTo("carol@pve");
    assertThat(d.properties())
        .containsExactly(new DriftProperty("id", "130", null, true, DriftProperty.ENGINE));
    aSecondCheckIsQuiet();
  }

  @Test
  void aResourceTheRefreshReadButDiscoveryHasNotSeenYetIsNotGone() {
    // As right after an up, before the next discovery run: the CI does not exist yet.
    cis = new InMemoryCiRepository();
    service =
        new DriftService(
            ProgramCatalog.standard(),
            REF::equals,
            ref -> SimulatedDiscovery.connection(ref, sim, deployer),
            cis,
            runs,
            store,
            events -> {
              sent.addAll(events);
              return List.of();
            },
            new RunnerSettings(
                "nimbus-state",
                "stacks",
                "eu-central-1",
                "alias/nimbus-pulumi",
                tmp.resolve("home"),
                tmp.resolve("work")),
            () -> cli,
            Clock.systemUTC());

    DriftCheck check = service.check("acme", "lab", "vm");

    assertThat(check.open()).isEmpty();
    assertThat(sent).isEmpty();
  }

  @Test
  void theDriftOfAStackThatManagesNothingAnyMoreIsResolved() {
    sim.admin().changeGuestConfig(130, "memory", "8192", "alice@pve");
    discover();
    refreshReplays("refresh-memory.jsonl");
    onlyNewDrift(service.check("acme", "lab", null));
    sent.clear();

    // A destroy removes the stack's links; the next check resolves its drift with one event.
    runs.replaceLinks(REF, STACK, Map.of());
    DriftCheck check = service.check("acme", "lab", null);

    assertThat(check.stacks()).isEmpty();
    assertThat(check.resolved()).isEqualTo(1);
    assertThat(sent)
        .filteredOn(e -> e.drift().stack().equals(STACK))
        .singleElement()
        .satisfies(e -> assertThat(e.detailType()).isEqualTo(DriftEvents.RESOLVED));
  }

  @Test
  void providerNoiseIsReportedButNeitherStoredNorSent() {
    refreshReplays("refresh-noise.jsonl");

    DriftCheck check = service.check("acme", "lab", null);

    assertThat(check.detected()).isZero();
    assertThat(sent).isEmpty();
    assertThat(store.byStack(REF, STACK)).isEmpty();
    assertThat(check.noise())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.driftClass()).isEqualTo(DriftClass.PROVIDER_NOISE);
              assertThat(n.properties())
                  .extracting(DriftProperty::path)
                  .containsExactly("ipv4Addresses", "vga");
              assertThat(n.recommendation())
                  .contains("bpg/terraform-provider-proxmox#2374", "#1224");
            });
  }

  @Test
  void stateWrittenWithVersion7TokensJoinsTheSameWay() {
    cli.exportJson =
        cli.exportJson.replace(
            "proxmoxve:index/vmLegacy:VmLegacy", "proxmoxve:VM/virtualMachine:VirtualMachine");
    sim.admin().changeGuestConfig(130, "memory", "8192", "alice@pve");
    discover();
    refreshReplays("refresh-memory.jsonl");
    String v7 =
        "urn:pulumi:acme.lab::nimbus-vm::proxmoxve:VM/virtualMachine:VirtualMachine::app-01";
    // The recorded stream names the v8 URN; a v7 state's stream names its own.
    streams.put("refresh", "refresh-memory-v7.jsonl");

    DriftCheck check = service.check("acme", "lab", null);

    assertThat(sent)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.drift().urn()).isEqualTo(v7);
              assertThat(e.drift().resourceType())
                  .isEqualTo("proxmoxve:VM/virtualMachine:VirtualMachine");
              assertThat(e.drift().driftClass()).isEqualTo(DriftClass.MANAGED_FIELD_CHANGE);
              assertThat(e.drift().author()).isEqualTo("alice@pve");
            });
    assertThat(check.stacks().getFirst().ok()).isTrue();
  }

  @Test
  void onlyTheNamedProgramsStackIsCheckedAndUnknownInputIsRefused() {
    cli.invocations.clear();
    DriftCheck none = service.check("acme", "lab", "pool");
    assertThat(none.stacks()).isEmpty();
    assertThat(cli.invocations).isEmpty();
    var e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            RequestRejected.class, () -> service.check("acme", "lab", "nope"));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.errors()).extracting(f -> f.field()).containsExactly("program");
    var bad =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            RequestRejected.class, () -> service.byConnection("Acme#", "lab"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(service.byConnection("acme", "lab")).hasSize(first.open().size());
    var unknown =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            RequestRejected.class, () -> service.check("acme", "nowhere", null));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errors()).extracting(f -> f.field()).containsExactly("connectionId");
    assertThat(service.byStack("acme", "lab", "vm")).isEmpty();
  }

  @Test
  void theDiscoveryRunRecordTriggersACheckOnlyForConnectionsWithStacks() {
    sim.admin().changeGuestConfig(130, "memory", "8192", "alice@pve");
    discover();
    refreshReplays("refresh-memory.jsonl");
    cli.invocations.clear();

    DynamodbEvent event = new DynamodbEvent();
    List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
    records.add(runRecord("1", "acme", "lab"));
    records.add(runRecord("2", "acme", "other"));
    records.add(runRecord("3", "acme", "lab"));
    event.setRecords(records);

    var response = new DriftAfterDiscovery(service).apply(event);

    assertThat(response.getBatchItemFailures()).isEmpty();
    // One check for acme/lab (two run records of it in the batch), none for a connection without
    // stacks.
    assertThat(cli.commands().stream().filter(c -> c.getFirst().equals("refresh"))).hasSize(1);
    assertThat(sent)
        .singleElement()
        .satisfies(e -> assertThat(e.drift().author()).isEqualTo("alice@pve"));
  }

  static DynamodbEvent.DynamodbStreamRecord runRecord(String seq, String tenant, String conn) {
    StreamRecord sr = new StreamRecord();
    sr.setSequenceNumber(seq);
    sr.setNewImage(
        Map.of(
            "PK", new AttributeValue().withS("CONN#" + tenant + "#" + conn),
            "SK", new AttributeValue().withS("RUN#2026-11-30T08:00:00.000Z"),
            "itemType", new AttributeValue().withS("RUN"),
            "tenantId", new AttributeValue().withS(tenant),
            "connectionId", new AttributeValue().withS(conn)));
    DynamodbEvent.DynamodbStreamRecord r = new DynamodbEvent.DynamodbStreamRecord();
    r.setEventName("INSERT");
    r.setDynamodb(sr);
    return r;
  }
}
