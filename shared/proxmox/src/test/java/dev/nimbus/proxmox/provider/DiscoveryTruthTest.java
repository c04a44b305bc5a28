package dev.nimbus.proxmox.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.Relationship;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.pvesim.FaultKind;
import dev.nimbus.pvesim.PveVersion;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Discovery tells the truth under faults (the points 2 to 5): what a failed call would have
 * supplied keeps its previous value, families fail apart, offline nodes keep their last known
 * facts, relationships never dangle, and a revoked token ends the run.
 */
class DiscoveryTruthTest {

  private static Map<String, ConfigurationItem> byKey(DiscoverySnapshot s) {
    return s.items().stream()
        .collect(Collectors.toMap(ConfigurationItem::nativeKey, Function.identity()));
  }

  private static Set<String> edges(ConfigurationItem ci, RelationshipKind kind) {
    return ci.relationships(kind).stream()
        .map(Relationship::targetNativeKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static DiscoverySnapshot everyGuest(SimulatedCluster c, DiscoverySnapshot previous) {
    return c.provider(DiscoveryOptions.everyGuestEveryRun())
        .discover(new DiscoveryScope.Everything(), previous);
  }

  @Test
  void aFailedClusterStatusNeitherRenamesTheTenancyNorMakesItAStandaloneNode() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V9_1)) {
      DiscoverySnapshot first = cluster.firstRun();
      cluster.sim.faults().onPath("/cluster/status", FaultKind.HTTP_500);

      DiscoverySnapshot second = cluster.discover(first);

      ConfigurationItem before = byKey(first).get("cluster");
      ConfigurationItem after = byKey(second).get("cluster");
      assertThat(after.contentHash()).isEqualTo(before.contentHash());
      assertThat(after.attributes().get("standalone")).isEqualTo(false);
      assertThat(second.failedScopes()).contains("cluster/status");
      for (String node : List.of("node/pve1", "node/pve2", "node/pve3")) {
        assertThat(byKey(second).get(node).attributes().get("ip"))
            .as("the node's address comes from /cluster/status: kept")
            .isEqualTo(byKey(first).get(node).attributes().get("ip"));
      }
    }
  }

  @Test
  void guestsReadWhileTheStorageListFailsKeepTheirStoredOnEdgesAndTheNextRunReReadsThem() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V9_1)) {
      DiscoverySnapshot first = cluster.firstRun();
      cluster.sim.faults().onPath("/storage", FaultKind.DATA_OBJECT);

      DiscoverySnapshot second = everyGuest(cluster, first);

      for (ConfigurationItem ci : first.items()) {
        ConfigurationItem now = byKey(second).get(ci.nativeKey());
        assertThat(now).as(ci.nativeKey() + " kept").isNotNull();
        assertThat(edges(now, RelationshipKind.STORED_ON))
            .as(ci.nativeKey())
            .isEqualTo(edges(ci, RelationshipKind.STORED_ON));
      }
      assertThat(second.items())
          .filteredOn(ci -> ci.nativeKey().startsWith("storage/"))
          .hasSameSizeAs(
              first.items().stream().filter(ci -> ci.nativeKey().startsWith("storage/")).toList());
      assertThat(second.failedScopes()).contains("cluster/storage");
      assertThat(second.completeScopes()).doesNotContain("cluster/storage");
      assertThat(second.providerState()).containsEntry(ChangeCursor.REREAD_ALL, "true");

      cluster.sim.faults().clearPathFaults();
      cluster.sim.resetRequestCounts();
      DiscoverySnapshot third = cluster.discover(second);

      long guests =
          first.items().stream().filter(ci -> ci.nativeKey().matches("(qemu|lxc)/\\d+")).count();
      long reads =
          cluster.sim.requestCounts().keySet().stream()
              .filter(p -> p.matches("/nodes/[^/]+/(qemu|lxc)/\\d+/(config|pending)"))
              .map(p -> p.replaceAll("/(config|pending)$", ""))
              .distinct()
              .count();
      assertThat(reads).as("every guest re-read after the degraded run").isEqualTo(guests);
      assertThat(third.providerState()).doesNotContainKey(ChangeCursor.REREAD_ALL);
    }
  }

  @Test
  void aFailingFirewallSubCallAffectsOnlyWhatItSupplies() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V9_1)) {
      DiscoverySnapshot first = cluster.firstRun();
      cluster.sim.faults().onPath("/cluster/firewall/options", FaultKind.HTTP_502);
      cluster.sim.admin().setPoolComment("dev", "moved to the new rack");

      DiscoverySnapshot second = cluster.discover(first);

      for (String key : List.of("cluster", "firewall/cluster", "firewall/group/web")) {
        assertThat(byKey(second).get(key).contentHash())
            .as(key)
            .isEqualTo(byKey(first).get(key).contentHash());
      }
      assertThat(byKey(second).get("pool/dev").attributes().get("comment"))
          .isEqualTo("moved to the new rack");
      assertThat(second.failedScopes()).containsExactly("cluster/firewall/options");
      assertThat(second.completeScopes()).contains("cluster/firewall", "cluster/pools");
    }
  }

  @Test
  void guestsOfANodeOfflineAtTheFirstRunGetCisFromTheirRowsAndAreCompletedLater() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V9_1)) {
      cluster.sim.admin().setNodeOnline("pve3", false);

      DiscoverySnapshot first = cluster.firstRun();

      ConfigurationItem vm = byKey(first).get("qemu/104");
      assertThat(vm.status()).isEqualTo(CiStatus.UNREACHABLE);
      assertThat(vm.attributes().get("configUnavailable")).isEqualTo(true);
      // Everything the row says; pmxcfs drops a node's usage figures (maxcpu, maxmem, maxdisk)
      // from the rows a while after it went offline, so those come only when the row has them.
      assertThat(vm.attributes().asMap())
          .containsEntry("vmid", 104L)
          .containsEntry("node", "pve3")
          .containsEntry("pool", "dev")
          .containsKeys("tags", "powerState", "template");
      assertThat(vm.name()).isNotBlank();
      assertThat(edges(vm, RelationshipKind.RUNS_ON)).containsExactly("node/pve3");
      assertThat(byKey(first).get("node/pve3").status()).isEqualTo(CiStatus.UNREACHABLE);
      assertThat(first.unreachableScopes()).containsExactly("node/pve3");

      cluster.sim.admin().setNodeOnline("pve3", true);
      DiscoverySnapshot second = cluster.discover(first);

      ConfigurationItem read = byKey(second).get("qemu/104");
      assertThat(read.status()).isEqualTo(CiStatus.RESOURCE_DISCOVERED);
      assertThat(read.attributes().get("configUnavailable")).isNull();
      assertThat(read.attributes().get("cores")).isNotNull();
      assertThat(byKey(second).get("node/pve3").attributes().get("pveVersion")).isNotNull();
    }
  }

  @Test
  void anEdgeToSomethingTheRunDidNotFindIsReportedAndNotWritten() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V9_1)) {
      DiscoverySnapshot first = cluster.firstRun();
      cluster
          .sim
          .admin()
          .changeGuestConfig(101, "net3", "virtio=BC:24:11:00:00:99,bridge=vmbr9", "root@pam");

      DiscoverySnapshot second = everyGuest(cluster, first);

      ConfigurationItem vm = byKey(second).get("qemu/101");
      assertThat(edges(vm, RelationshipKind.ATTACHED_TO)).doesNotContain("network/pve1/vmbr9");
      for (ConfigurationItem ci : second.items()) {
        for (Relationship r : ci.relationships()) {
          assertThat(byKey(second))
              .as(ci.nativeKey() + " -> " + r)
              .containsKey(r.targetNativeKey());
        }
      }
      assertThat(second.problems())
          .anyMatch(
              p ->
                  p.kind() == DiscoveryProblem.Kind.DANGLING_RELATIONSHIP
                      && p.subject().equals("qemu/101")
                      && p.message().contains("network/pve1/vmbr9"));
    }
  }

  @Test
  void aTokenRevokedInTheMiddleOfARunEndsItInsteadOfDeletingWhatItCouldNotRead() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V9_1)) {
      DiscoverySnapshot first = cluster.firstRun();
      // /version and /cluster/resources answer; the token is gone by the time the pools are read.
      cluster.sim.faults().onPath("/pools", FaultKind.HTTP_401);

      assertThatThrownBy(() -> cluster.discover(first))
          .isInstanceOf(ProxmoxException.AuthenticationFailed.class);
    }
  }

  @Test
  void aTokenWithoutTheOptionalSdnPrivilegeDoesNotMakeEveryRunReReadEveryGuest() {
    try (SimulatedCluster cluster =
        SimulatedCluster.withToken(
            PveVersion.V9_1,
            sim -> {
              sim.admin()
                  .createRole(
                      "AuditWithoutSdn",
                      "Sys.Audit",
                      "VM.Audit",
                      "VM.GuestAgent.Audit",
                      "Datastore.Audit",
                      "Pool.Audit");
              return sim.createToken(
                  "discovery@pve",
                  "nosdn",
                  true,
                  dev.nimbus.pvesim.Acl.of("/", "discovery@pve", "AuditWithoutSdn"),
                  dev.nimbus.pvesim.Acl.of("/", "discovery@pve!nosdn", "AuditWithoutSdn"));
            })) {
      // Proxmox filters the SDN lists by privilege rather than refusing them: no vnet is
      // visible, and that is a lasting view, not a failure to recover from.
      DiscoverySnapshot first = cluster.firstRun();
      assertThat(first.items()).noneMatch(ci -> ci.nativeKey().startsWith("sdn/"));
      assertThat(first.providerState()).doesNotContainKey(ChangeCursor.REREAD_ALL);

      cluster.sim.resetRequestCounts();
      cluster.discover(first);

      long reads =
          cluster.sim.requestCounts().keySet().stream()
              .filter(p -> p.matches("/nodes/[^/]+/(qemu|lxc)/\\d+/(config|pending)"))
              .count();
      assertThat(reads).as("only the sweep's slice, not every guest").isLessThan(3);
    }
  }
}
