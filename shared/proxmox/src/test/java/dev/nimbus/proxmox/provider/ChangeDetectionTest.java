package dev.nimbus.proxmox.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.Attribution;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.pvesim.Acl;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Edits as real Proxmox VE records them (the points 6, 8 and 12): a synchronous QEMU config
 * edit leaves no task, only a cluster log line; an LXC edit leaves nothing; a change a running VM
 * cannot take live stays pending until a restart.
 */
class ChangeDetectionTest {
  /** No sweep within these tests: only rows, tasks and the cluster log can find an edit. */
  private static final DiscoveryOptions NO_SWEEP = new DiscoveryOptions(10_000, true, true);

  private static Map<String, ConfigurationItem> byKey(DiscoverySnapshot s) {
    return s.items().stream()
        .collect(Collectors.toMap(ConfigurationItem::nativeKey, Function.identity()));
  }

  /** PVEAuditor, plus Sys.Syslog on / when {@code syslog}: "fast change detection". */
  private static SimulatedCluster cluster(boolean syslog) {
    return SimulatedCluster.withToken(
        PveVersion.V9_1,
        sim -> {
          if (syslog) {
            sim.admin().createRole("NimbusChangeLog", "Sys.Syslog");
            return sim.createToken(
                "discovery@pve",
                "ro",
                true,
                Acl.of("/", "discovery@pve", Roles.PVE_AUDITOR),
                Acl.of("/", "discovery@pve!ro", Roles.PVE_AUDITOR),
                Acl.of("/", "discovery@pve", "NimbusChangeLog"),
                Acl.of("/", "discovery@pve!ro", "NimbusChangeLog"));
          }
          return sim.createToken("discovery@pve", "ro", Roles.PVE_AUDITOR, true);
        });
  }

  private static DiscoverySnapshot run(SimulatedCluster c, DiscoverySnapshot previous) {
    return c.provider(NO_SWEEP).discover(new DiscoveryScope.Everything(), previous);
  }

  @Test
  void aUiEditThatLeavesNoTaskIsFoundOnTheNextRunWithItsAuthorThroughTheClusterLog() {
    try (SimulatedCluster c = cluster(true)) {
      DiscoverySnapshot settled = run(c, run(c, DiscoverySnapshot.none(SimulatedCluster.LAB)));
      assertThat(settled.providerState())
          .containsEntry(ChangeCursor.SYSLOG, "present (Sys.Syslog on /)");
      c.sim.admin().editGuestConfig(103, "description", "edited in the web UI", "alice@pve");
      c.sim.resetRequestCounts();

      DiscoverySnapshot next = run(c, settled);

      assertThat(byKey(next).get("qemu/103").attributes().get("description"))
          .isEqualTo("edited in the web UI");
      Attribution who = next.attributions().get("qemu/103");
      assertThat(who.user()).isEqualTo("alice@pve");
      assertThat(who.taskId()).as("no task: the cluster log line").isNull();
      assertThat(c.sim.requestCount("/cluster/log")).isEqualTo(1);
      assertThat(c.sim.requestCount("/access/permissions"))
          .as("the permission is checked once, not on every run")
          .isZero();
    }
  }

  @Test
  void withoutSysSyslogTheCapabilityIsRecordedAsAbsentAndTheSweepFindsTheEdit() {
    try (SimulatedCluster c = cluster(false)) {
      DiscoverySnapshot settled = run(c, run(c, DiscoverySnapshot.none(SimulatedCluster.LAB)));
      c.sim.admin().editGuestConfig(103, "description", "edited in the web UI", "alice@pve");
      c.sim.resetRequestCounts();

      DiscoverySnapshot next = run(c, settled);

      assertThat(next.providerState().get(ChangeCursor.SYSLOG)).startsWith("absent");
      assertThat(next.problems()).as("an absent capability is not a problem").isEmpty();
      assertThat(c.sim.requestCount("/cluster/log")).isZero();
      assertThat(byKey(next).get("qemu/103").attributes().get("description"))
          .as("not found by rows or tasks")
          .isNotEqualTo("edited in the web UI");

      DiscoverySnapshot swept =
          c.provider(new DiscoveryOptions(1, true, true))
              .discover(new DiscoveryScope.Everything(), next);
      assertThat(byKey(swept).get("qemu/103").attributes().get("description"))
          .isEqualTo("edited in the web UI");
    }
  }

  @Test
  void aContainerEditLeavesNoTraceAndOnlyTheSweepFindsIt() {
    try (SimulatedCluster c = cluster(true)) {
      DiscoverySnapshot settled = run(c, run(c, DiscoverySnapshot.none(SimulatedCluster.LAB)));
      c.sim.admin().editGuestConfig(200, "description", "pct set", "alice@pve");

      DiscoverySnapshot next = run(c, settled);
      assertThat(byKey(next).get("lxc/200").attributes().get("description"))
          .isNotEqualTo("pct set");

      DiscoverySnapshot swept =
          c.provider(new DiscoveryOptions(1, true, true))
              .discover(new DiscoveryScope.Everything(), next);
      assertThat(byKey(swept).get("lxc/200").attributes().get("description")).isEqualTo("pct set");
    }
  }

  @Test
  void aRunningVmDescribesWhatRunsAndKeepsPendingChangesApartUntilTheRestart() {
    try (SimulatedCluster c = cluster(true)) {
      DiscoverySnapshot settled = run(c, run(c, DiscoverySnapshot.none(SimulatedCluster.LAB)));
      ConfigurationItem before = byKey(settled).get("qemu/101");
      long memory = (Long) before.attributes().get("memoryMiB");
      c.sim.admin().changeGuestConfig(101, "memory", Long.toString(memory * 2), "alice@pve");

      DiscoverySnapshot pending = run(c, settled);

      ConfigurationItem vm = byKey(pending).get("qemu/101");
      assertThat(vm.attributes().get("memoryMiB")).as("what runs").isEqualTo(memory);
      assertThat(vm.attributes().get("memoryBytes")).isEqualTo(memory * 1024 * 1024);
      assertThat(vm.attributes().get("pending"))
          .isEqualTo(List.of(Map.of("key", "memory", "value", Long.toString(memory * 2))));
      long cores = (Long) vm.attributes().get("cores");
      long sockets = (Long) vm.attributes().asMap().getOrDefault("sockets", 1L);
      assertThat(vm.attributes().get("vcpus")).isEqualTo(cores * sockets);
      assertThat(pending.attributions().get("qemu/101").taskType()).isEqualTo("qmconfig");

      c.sim.admin().reboot(101, "bob@pve");
      DiscoverySnapshot applied = run(c, pending);

      ConfigurationItem after = byKey(applied).get("qemu/101");
      assertThat(after.attributes().get("memoryMiB")).isEqualTo(memory * 2);
      assertThat(after.attributes().get("memoryBytes")).isEqualTo(memory * 2 * 1024 * 1024);
      assertThat(after.attributes().get("pending")).isNull();
      assertThat(applied.attributions().get("qemu/101").user())
          .as("the restart applied the pending change")
          .isEqualTo("bob@pve");
    }
  }

  @Test
  void aStandaloneNodeIsATenancyOfOneNamedAfterTheNode() {
    try (PveSimulator sim =
        PveSimulator.start(
            SimulatorConfig.standalone("pve-solo")
                .withVersion(PveVersion.V8_4)
                .withAuthFailureDelay(Duration.ZERO))) {
      var token = sim.createToken("discovery@pve", "ro", Roles.PVE_AUDITOR, true);
      var client =
          dev.nimbus.proxmox.client.ProxmoxClient.create(
              dev.nimbus.proxmox.client.ClientSettings.builder(sim.baseUri())
                  .trust(
                      dev.nimbus.proxmox.client.tls.TlsTrust.PinnedFingerprints.of(
                          sim.fingerprint(sim.entryNode())))
                  .apiToken(token.fullId(), dev.nimbus.model.Secret.of(token.secret()))
                  .build());
      DiscoverySnapshot s =
          new ProxmoxProvider(
                  client,
                  SimulatedCluster.LAB,
                  token.fullId(),
                  DiscoveryOptions.defaults(),
                  java.time.Clock.systemUTC())
              .discover(
                  new DiscoveryScope.Everything(), DiscoverySnapshot.none(SimulatedCluster.LAB));

      ConfigurationItem tenancy = byKey(s).get("cluster");
      assertThat(tenancy.name()).isEqualTo("pve-solo");
      assertThat(tenancy.providerType()).isEqualTo("standalone-node");
      assertThat(tenancy.attributes().get("standalone")).isEqualTo(true);
      assertThat(tenancy.attributes().get("nodes")).isEqualTo(List.of("pve-solo"));
      assertThat(byKey(s)).containsKey("node/pve-solo");
      // PVEAuditor on 8.4 lacks only VM.Monitor (guest agent addresses); nothing else is wrong.
      assertThat(s.problems()).allMatch(p -> p.message().contains("VM.Monitor"));
    }
  }
}
