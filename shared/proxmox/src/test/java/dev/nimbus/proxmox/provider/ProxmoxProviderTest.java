package dev.nimbus.proxmox.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import dev.nimbus.pvesim.Acl;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProxmoxProviderTest {

  private static Map<String, ConfigurationItem> byKey(DiscoverySnapshot s) {
    return s.items().stream()
        .collect(Collectors.toMap(ConfigurationItem::nativeKey, Function.identity()));
  }

  private static Set<String> edges(ConfigurationItem ci, RelationshipKind kind) {
    return ci.relationships(kind).stream()
        .map(r -> r.targetNativeKey() + (r.qualifier().isEmpty() ? "" : " " + r.qualifier()))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @ParameterizedTest
  @EnumSource(
      value = PveVersion.class,
      names = {"V7_4", "V8_4", "V9_1"})
  void theFirstRunMapsTheWholeMixedClusterOntoSemanticTypes(PveVersion version) {
    try (SimulatedCluster cluster = SimulatedCluster.demo(version)) {
      DiscoverySnapshot s = cluster.firstRun();
      Map<String, ConfigurationItem> cis = byKey(s);

      assertThat(cis.get("cluster").semanticType()).isEqualTo(SemanticType.TENANCY);
      assertThat(cis.get("cluster").name()).isEqualTo("nimbus-sim");
      assertThat(cis.keySet()).contains("node/pve1", "node/pve2", "node/pve3");
      assertThat(cis.get("node/pve1").semanticType()).isEqualTo(SemanticType.HOST);
      assertThat(cis.get("node/pve1").attributes().get("sslFingerprint"))
          .isEqualTo(cluster.sim.fingerprint("pve1"));

      ConfigurationItem web = cis.get("qemu/101");
      assertThat(web.semanticType()).isEqualTo(SemanticType.COMPUTE);
      assertThat(web.name()).isEqualTo("web-01");
      assertThat(web.attributes().get("powerState")).isEqualTo("running");
      assertThat(web.attributes().get("tags")).isEqualTo(List.of("prod", "web"));
      assertThat(web.attributes().get("haState")).isEqualTo("started");
      assertThat(web.attributes().get("ipAddresses").toString()).contains("10.20.0.101");
      assertThat(edges(web, RelationshipKind.RUNS_ON)).containsExactly("node/pve1");
      assertThat(edges(web, RelationshipKind.ATTACHED_TO)).contains("network/pve1/vmbr1 net0");
      assertThat(edges(web, RelationshipKind.STORED_ON))
          .anyMatch(e -> e.startsWith("storage/ceph-vm "));
      assertThat(edges(web, RelationshipKind.PROTECTED_BY))
          .containsExactly("firewall/group/web", "firewall/guest/101");
      List<?> nics = (List<?>) web.attributes().get("nics");
      assertThat(nics.getFirst().toString())
          .contains("bc:24:11:2a:00:65", "vmbr1", "vlanTag=20", "firewall=true", "model=virtio");

      String pool = version == PveVersion.V7_4 ? "pool/web" : "pool/prod/web";
      assertThat(edges(web, RelationshipKind.MEMBER_OF)).containsExactly(pool);
      assertThat(cis.get(pool).semanticType()).isEqualTo(SemanticType.COMPARTMENT);
      if (version != PveVersion.V7_4) {
        assertThat(edges(cis.get("pool/prod/web"), RelationshipKind.CONTAINED_IN))
            .containsExactly("pool/prod");
      }

      assertThat(cis.get("qemu/9000").attributes().get("template")).isEqualTo(true);
      assertThat(cis.get("lxc/202").attributes().get("template")).isEqualTo(true);
      assertThat(cis.get("lxc/200").providerType()).isEqualTo("lxc");
      assertThat(edges(cis.get("qemu/103"), RelationshipKind.STORED_ON))
          .contains("storage/pve2/local-lvm scsi1");

      assertThat(cis.get("storage/ceph-vm").attributes().get("shared")).isEqualTo(true);
      assertThat(cis.keySet()).contains("storage/pve1/local-lvm", "storage/pve2/local-lvm");
      assertThat(cis.get("network/pve1/vmbr1").attributes().get("vlanAware")).isEqualTo(true);
      assertThat(cis.values())
          .anyMatch(ci -> ci.providerType().equals("ovs-bridge") && ci.scope().equals("node/pve3"));
      assertThat(cis.keySet()).contains("sdn/zone/simple1", "sdn/vnet/vnet100", "firewall/cluster");
      assertThat(edges(cis.get("sdn/vnet/vnet100"), RelationshipKind.ATTACHED_TO))
          .containsExactly("sdn/zone/simple1");
      assertThat(cis.get("firewall/group/web").semanticType())
          .isEqualTo(SemanticType.SECURITY_GROUP);
      assertThat(cis.values()).allMatch(ci -> ci.status() == CiStatus.RESOURCE_DISCOVERED);
      assertThat(cis.values())
          .filteredOn(ci -> ci.semanticType() != SemanticType.TENANCY)
          .allMatch(ci -> !ci.relationships(RelationshipKind.CONTAINED_IN).isEmpty());

      assertThat(s.unreachableScopes()).isEmpty();
      assertThat(s.completeScopes())
          .contains(
              "cluster",
              "cluster/pools",
              "cluster/storage",
              "cluster/sdn",
              "cluster/firewall",
              "node/pve1",
              "node/pve2",
              "node/pve3");
      assertThat(s.problems())
          .allMatch(
              p ->
                  p.kind() == DiscoveryProblem.Kind.MISSING_PERMISSION
                      && p.message().contains("VM.Monitor"));
    }
  }

  @Test
  void anUnchangedClusterIsReReadWithoutGuestConfigsOutsideTheSweepAndGivesTheSameCis() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V9_1)) {
      DiscoverySnapshot first = cluster.firstRun();
      cluster.sim.resetRequestCounts();

      DiscoverySnapshot second = cluster.discover(first);

      assertThat(second.items()).isEqualTo(first.items());
      long configReads =
          cluster.sim.requestCounts().entrySet().stream()
              .filter(e -> e.getKey().endsWith("/config"))
              .mapToLong(Map.Entry::getValue)
              .sum();
      // 9 guests, a sweep of 24 runs: at most the guests whose vmid falls in this run's slot.
      assertThat(configReads).isLessThanOrEqualTo(1);
      assertThat(second.providerCalls()).isLessThan(first.providerCalls());
    }
  }

  @Test
  void aChangeMadeInTheProxmoxUiIsReadOnTheNextRunWithWhoMadeIt() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V8_4)) {
      DiscoverySnapshot first = cluster.firstRun();
      // A stopped VM takes the change at once (a running one would hold it as pending).
      cluster.sim.admin().changeGuestConfig(104, "cores", "8", "alice@pve");

      DiscoverySnapshot second = cluster.discover(first);

      ConfigurationItem before = byKey(first).get("qemu/104");
      ConfigurationItem after = byKey(second).get("qemu/104");
      assertThat(after.changesSince(before))
          .anySatisfy(
              c -> {
                assertThat(c.path()).isEqualTo("attributes.cores");
                assertThat(c.updatedValue()).isEqualTo(8L);
              });
      assertThat(second.attributions().get("qemu/104").user()).isEqualTo("alice@pve");
      assertThat(second.attributions().get("qemu/104").taskId()).startsWith("UPID:");
    }
  }

  @Test
  void aMigratedGuestIsTheSameCiRunningOnAnotherNode() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V9_1)) {
      DiscoverySnapshot first = cluster.firstRun();
      cluster.sim.admin().migrateGuest(102, "pve1", "bob@pve");

      DiscoverySnapshot second = cluster.discover(first);

      ConfigurationItem before = byKey(first).get("qemu/102");
      ConfigurationItem after = byKey(second).get("qemu/102");
      assertThat(after.id()).isEqualTo(before.id());
      assertThat(edges(after, RelationshipKind.RUNS_ON)).containsExactly("node/pve1");
      assertThat(after.scope()).isEqualTo("node/pve1");
    }
  }

  @Test
  void anOfflineNodeMakesItsScopeUnreachableAndItsHostAndGuestsKeepTheirLastKnownFacts() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V8_4)) {
      DiscoverySnapshot first = cluster.firstRun();
      cluster.sim.admin().setNodeOnline("pve3", false);

      DiscoverySnapshot second = cluster.discover(first);

      assertThat(second.unreachableScopes()).containsExactly("node/pve3");
      assertThat(second.completeScopes()).doesNotContain("node/pve3").contains("node/pve1");
      // Listed, not readable: each keeps its last known content and is marked unreachable.
      for (String key : List.of("qemu/104", "qemu/105", "lxc/201", "node/pve3")) {
        ConfigurationItem ci = byKey(second).get(key);
        assertThat(ci.status()).as(key).isEqualTo(CiStatus.UNREACHABLE);
        assertThat(ci.contentHash()).as(key).isEqualTo(byKey(first).get(key).contentHash());
      }
      assertThat(second.problems())
          .anyMatch(
              p ->
                  p.kind() == DiscoveryProblem.Kind.SCOPE_UNREACHABLE
                      && p.subject().equals("node/pve3"));
    }
  }

  @Test
  void aNodeThatStopsAnsweringMidRunIsUnreachableAndItsGuestsAreNotAskedOneByOne() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V8_4)) {
      DiscoverySnapshot first = cluster.firstRun();
      // Listed online in /cluster/resources, but every call proxied to it fails as pveproxy's
      // connect failure does.
      cluster.sim.faults().errorRate(1.0, 595).onlyPaths("/nodes/pve2");
      cluster.sim.admin().changeGuestConfig(102, "cores", "6", "alice@pve");
      cluster.sim.resetRequestCounts();

      DiscoverySnapshot second = cluster.discover(first);

      assertThat(second.unreachableScopes()).containsExactly("node/pve2");
      for (String key : List.of("qemu/102", "qemu/103", "lxc/202", "node/pve2")) {
        ConfigurationItem ci = byKey(second).get(key);
        assertThat(ci.status()).as(key).isEqualTo(CiStatus.UNREACHABLE);
        assertThat(ci.contentHash()).as(key).isEqualTo(byKey(first).get(key).contentHash());
      }
      assertThat(cluster.sim.requestCount("/nodes/pve2/qemu/102/config")).isZero();
      assertThat(cluster.sim.requestCount("/nodes/pve2/qemu/102/pending")).isZero();
      assertThat(second.completeScopes()).contains("node/pve1", "node/pve3");
    }
  }

  @Test
  void aMalformedGuestConfigIsReportedForThatGuestAndTheRunGoesOn() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V8_4)) {
      DiscoverySnapshot first = cluster.firstRun();
      cluster.sim.admin().corruptGuestConfig(103, "memory", "lots");
      cluster.sim.admin().changeGuestConfig(104, "cores", "6", "alice@pve");
      cluster.sim.admin().startStop(103, false, "alice@pve");

      DiscoverySnapshot second = cluster.discover(first);

      assertThat(second.problems())
          .anySatisfy(
              p -> {
                assertThat(p.kind()).isEqualTo(DiscoveryProblem.Kind.MALFORMED_RESOURCE);
                assertThat(p.subject()).isEqualTo("qemu/103");
                assertThat(p.message()).contains("memory", "lots");
              });
      assertThat(byKey(second).get("qemu/103")).isEqualTo(byKey(first).get("qemu/103"));
      assertThat(byKey(second).get("qemu/104").attributes().get("cores")).isEqualTo(6L);
      assertThat(second.completeScopes()).contains("node/pve2");
    }
  }

  @Test
  void aNewGuestWithAMalformedConfigStillGetsACiFromItsResourcesRow() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V8_4)) {
      cluster.sim.admin().corruptGuestConfig(105, "net0", "garbage");

      DiscoverySnapshot s = cluster.firstRun();

      ConfigurationItem ci = byKey(s).get("qemu/105");
      assertThat(ci.attributes().get("configUnavailable")).isEqualTo(true);
      assertThat(edges(ci, RelationshipKind.RUNS_ON)).containsExactly("node/pve3");
      assertThat(s.problems()).anyMatch(p -> p.subject().equals("qemu/105"));
    }
  }

  @Test
  void aTokenLackingPrivilegesGetsAReportNamingPathAndPrivilege() {
    try (SimulatedCluster cluster =
        SimulatedCluster.withToken(
            PveVersion.V9_1,
            sim ->
                sim.createToken(
                    "discovery@pve",
                    "vmonly",
                    true,
                    Acl.of("/", "discovery@pve", Roles.PVE_AUDITOR),
                    Acl.of("/vms", "discovery@pve!vmonly", Roles.PVE_AUDITOR)))) {
      DiscoverySnapshot s = cluster.firstRun();

      assertThat(s.problems())
          .filteredOn(p -> p.kind() == DiscoveryProblem.Kind.MISSING_PERMISSION)
          .extracting(DiscoveryProblem::message)
          .anyMatch(m -> m.contains("Sys.Audit") && m.contains(" on /"));
      assertThat(s.completeScopes()).doesNotContain("cluster/firewall");
      assertThat(byKey(s).keySet()).contains("qemu/101");
      assertThat(cluster.provider(DiscoveryOptions.defaults()).testConnection().missing())
          .anyMatch(r -> r.privilege().equals("Sys.Audit") && r.path().equals("/"));
    }
  }

  @Test
  void aHostScopeReadsOnlyTheChosenNodesPlusTheClusterWideCis() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V8_4)) {
      DiscoverySnapshot s =
          cluster
              .provider(DiscoveryOptions.defaults())
              .discover(
                  DiscoveryScope.hosts(Set.of("pve1")),
                  DiscoverySnapshot.none(SimulatedCluster.LAB));

      assertThat(byKey(s)).containsKeys("qemu/101", "lxc/200", "storage/ceph-vm", "cluster");
      assertThat(byKey(s)).doesNotContainKeys("qemu/102", "qemu/104", "network/pve2/vmbr0");
      assertThat(s.completeScopes()).contains("node/pve1").doesNotContain("node/pve2");
    }
  }

  @Test
  void aPoolScopeReadsTheGuestsOfThePoolAndItsNestedPools() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V8_4)) {
      DiscoverySnapshot s =
          cluster
              .provider(DiscoveryOptions.defaults())
              .discover(
                  DiscoveryScope.compartments(Set.of("prod")),
                  DiscoverySnapshot.none(SimulatedCluster.LAB));

      assertThat(byKey(s))
          .containsKeys("qemu/101", "qemu/102", "qemu/103", "lxc/200", "pool/prod/web");
      assertThat(byKey(s)).doesNotContainKeys("qemu/104", "qemu/105", "lxc/201", "pool/dev");
    }
  }

  @Test
  void usageOfTheLastHourComesFromTheGuestsRrdSeriesWithinTheRange() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V9_1)) {
      java.time.Instant now = java.time.Instant.now();
      var range = new dev.nimbus.model.TimeRange(now.minusSeconds(3600), now);

      var report =
          cluster
              .provider(DiscoveryOptions.defaults())
              .sampleUsage(range, List.of("qemu/101", "qemu/999"));

      assertThat(report.samples()).isNotEmpty().allMatch(u -> u.nativeKey().equals("qemu/101"));
      assertThat(report.samples()).allMatch(u -> range.contains(u.time()));
      assertThat(report.samples())
          .filteredOn(u -> u.metric() == dev.nimbus.model.Metric.CPU_UTILIZATION)
          .isNotEmpty()
          .allMatch(u -> u.value() <= 1.0);
      assertThat(report.problems())
          .extracting(DiscoveryProblem::subject)
          .containsExactly("qemu/999");
    }
  }

  @Test
  void theRotatingSweepReReadsEveryGuestWithinSweepRunsRuns() {
    try (SimulatedCluster cluster = SimulatedCluster.demo(PveVersion.V9_1)) {
      var provider = cluster.provider(new DiscoveryOptions(3, true, true));
      DiscoverySnapshot s =
          provider.discover(
              new DiscoveryScope.Everything(), DiscoverySnapshot.none(SimulatedCluster.LAB));
      cluster.sim.resetRequestCounts();

      for (int run = 0; run < 3; run++) {
        s = provider.discover(new DiscoveryScope.Everything(), s);
      }

      for (String guest : List.of("qemu/101", "qemu/102", "qemu/9000", "lxc/200", "lxc/202")) {
        String node = byKey(s).get(guest).attributes().get("node").toString();
        // A running guest's config is read through /pending (current values and pending ones).
        String base = "/nodes/" + node + "/" + guest;
        assertThat(
                Math.max(
                    cluster.sim.requestCount(base + "/config"),
                    cluster.sim.requestCount(base + "/pending")))
            .as(guest + " re-read exactly once in 3 runs")
            .isEqualTo(1);
      }
    }
  }
}
