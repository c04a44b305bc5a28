package dev.nimbus.proxmox.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ProxmoxException.InvalidResponse;
import dev.nimbus.proxmox.client.ProxmoxException.NodeUnreachable;
import dev.nimbus.proxmox.client.ProxmoxException.ServerError;
import dev.nimbus.proxmox.client.ProxmoxException.TransportError;
import dev.nimbus.proxmox.client.model.ClusterLogEntry;
import dev.nimbus.proxmox.client.model.GuestConfig;
import dev.nimbus.proxmox.client.model.PendingChange;
import dev.nimbus.proxmox.client.tls.TlsTrust;
import dev.nimbus.pvesim.Acl;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.FaultKind;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.SimulatorConfig;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against the simulator, which does not share its code: the cluster log, current and
 * pending config of a running VM, and the simulator's per-path faults meeting the client's strict
 * reads and transport limits.
 */
class SimulatorRoundTripTest {
  private static final RetryPolicy QUICK =
      new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(10), 0);
  private static PveSimulator sim;
  private static ApiToken token;

  @BeforeAll
  static void start() {
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    // Read-only discovery token plus Sys.Syslog: the "fast change detection" grant.
    sim.admin()
        .createRole(
            "NimbusDiscovery",
            "Sys.Audit",
            "VM.Audit",
            "Datastore.Audit",
            "Pool.Audit",
            "SDN.Audit",
            "Sys.Syslog");
    token =
        sim.createToken(
            "nimbus@pve",
            "discovery",
            true,
            Acl.of("/", "nimbus@pve", "NimbusDiscovery"),
            Acl.of("/", "nimbus@pve!discovery", "NimbusDiscovery"));
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @AfterEach
  void clearFaults() {
    sim.faults().clear();
  }

  private static ClientSettings.Builder settings() {
    return ClientSettings.builder(sim.baseUri())
        .trust(TlsTrust.PinnedFingerprints.of(sim.fingerprint(sim.entryNode())))
        .apiToken(token.fullId(), Secret.of(token.secret()))
        .retryPolicy(QUICK);
  }

  @Test
  void aSilentEditOfARunningVmIsInTheClusterLogAndItsConfigIsPending() {
    ProxmoxClient client = ProxmoxClient.create(settings().build());
    GuestApi vm = client.node("pve1").qemu(101);
    long memory = vm.currentConfig().memoryMiB();
    int tasks = client.cluster().tasks().size();

    sim.admin().editGuestConfig(101, "memory", Long.toString(memory * 2), "alice@pve");

    assertThat(client.cluster().tasks()).hasSize(tasks);
    List<ClusterLogEntry> log =
        client.cluster().log(20).stream()
            .sorted(Comparator.comparing(ClusterLogEntry::time).thenComparing(ClusterLogEntry::uid))
            .toList();
    ClusterLogEntry edit = log.getLast();
    assertThat(edit.msg()).isEqualTo("update VM 101: -memory " + memory * 2);
    assertThat(edit.user()).isEqualTo("alice@pve");
    assertThat(edit.node()).isEqualTo("pve1");
    assertThat(edit.tag()).isEqualTo("pvedaemon");
    assertThat(edit.pri()).isEqualTo(6);
    assertThat(edit.pid()).isPositive();
    assertThat(edit.uid()).isPositive();
    assertThat(edit.time()).isNotNull();

    GuestConfig running = vm.currentConfig();
    GuestConfig next = vm.config();
    assertThat(running.memoryMiB()).isEqualTo(memory);
    assertThat(next.memoryMiB()).isEqualTo(memory * 2);
    assertThat(vm.pending())
        .filteredOn(PendingChange::isPending)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("memory");
              assertThat(p.value()).isEqualTo(Long.toString(memory));
              assertThat(p.pending()).isEqualTo(Long.toString(memory * 2));
            });

    sim.admin().reboot(101, "alice@pve");
    assertThat(vm.currentConfig().memoryMiB()).isEqualTo(memory * 2);
    assertThat(vm.pending()).noneMatch(PendingChange::isPending);
  }

  @Test
  void brokenListAnswersFromThePathFaultHookAreErrorsOfTheirCallNeverEmptyLists() {
    ProxmoxClient client = ProxmoxClient.create(settings().build());
    for (FaultKind kind :
        List.of(
            FaultKind.DATA_MISSING,
            FaultKind.DATA_NULL,
            FaultKind.DATA_OBJECT,
            FaultKind.DATA_STRING,
            FaultKind.HTML_BODY,
            FaultKind.EMPTY_BODY)) {
      sim.faults().onPath("/storage", kind);
      long before = sim.requestCount("/storage");
      InvalidResponse e =
          catchThrowableOfType(InvalidResponse.class, () -> client.storage().config());
      assertThat(e).as(kind.name()).isNotNull();
      assertThat(e.path()).isEqualTo("/storage");
      assertThat(sim.requestCount("/storage")).as(kind.name()).isEqualTo(before + 1);
    }
    sim.faults().clearPathFaults();
    assertThat(client.storage().config()).isNotEmpty();
  }

  @Test
  void transportFaultsFromThePathFaultHookAreRetriedOnlyWhenTheyMayPass() {
    ProxmoxClient client = ProxmoxClient.create(settings().maxResponseBytes(1 << 20).build());
    sim.faults().onPath("/nodes/pve2/network", FaultKind.HTTP_595);
    long before = sim.requestCount("/nodes/pve2/network");
    assertThat(catchThrowableOfType(NodeUnreachable.class, () -> client.node("pve2").network()))
        .isNotNull();
    assertThat(sim.requestCount("/nodes/pve2/network")).isEqualTo(before + 1);

    for (FaultKind cut : List.of(FaultKind.TRUNCATED_BODY, FaultKind.RESET_MID_BODY)) {
      sim.faults().onPath("/cluster/resources", cut);
      before = sim.requestCount("/cluster/resources");
      TransportError e =
          catchThrowableOfType(TransportError.class, () -> client.cluster().resources());
      assertThat(e).as(cut.name()).isNotNull();
      assertThat(sim.requestCount("/cluster/resources")).isEqualTo(before + 3);
    }

    sim.faults().onPath("/cluster/resources", FaultKind.HTTP_502);
    before = sim.requestCount("/cluster/resources");
    assertThat(catchThrowableOfType(ServerError.class, () -> client.cluster().resources()))
        .isNotNull();
    assertThat(sim.requestCount("/cluster/resources")).isEqualTo(before + 3);

    sim.faults().oversizedBodyBytes(3 << 20).onPath("/cluster/resources", FaultKind.OVERSIZED_BODY);
    before = sim.requestCount("/cluster/resources");
    InvalidResponse big =
        catchThrowableOfType(InvalidResponse.class, () -> client.cluster().resources());
    assertThat(big.getMessage()).contains("maxResponseBytes");
    assertThat(sim.requestCount("/cluster/resources")).isEqualTo(before + 1);
  }
}
