package dev.nimbus.pulumi.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.cmdb.InMemoryCiRepository;
import dev.nimbus.connections.ConnectionNotFoundException;
import dev.nimbus.connections.FieldError;
import dev.nimbus.infra.programs.CmdbInventory;
import dev.nimbus.infra.programs.InputException;
import dev.nimbus.infra.programs.Inventory;
import dev.nimbus.infra.programs.InventoryUnavailableException;
import dev.nimbus.infra.programs.ProgramCatalog;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inventory inputs are checked against, built from the CIs discovery stored for the simulated
 * demo cluster (PVE 9.1): what a user deploying onto that cluster would be allowed to name.
 */
class CmdbInventoryTest {
  static final ConnectionRef LAB = new ConnectionRef("acme", "lab");
  static PveSimulator sim;
  static InMemoryCiRepository cis;
  static Inventory inventory;

  @BeforeAll
  static void discoverTheDemoCluster() {
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    ApiToken token = sim.createToken("discovery@pve", "nimbus", Roles.PVE_AUDITOR, true);
    cis = new InMemoryCiRepository();
    SimulatedDiscovery.discover(cis, LAB, sim, token);
    inventory = new CmdbInventory(cis, LAB::equals).inventory(LAB);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void nodesStoragesGuestsAndTemplatesComeFromTheCis() {
    assertThat(inventory.nodes()).containsExactlyInAnyOrder("pve1", "pve2", "pve3");
    // Local storage is on every node; a shared one restricted in storage.cfg only on its nodes.
    assertThat(inventory.storage("local-lvm").orElseThrow())
        .satisfies(
            s -> {
              assertThat(s.shared()).isFalse();
              assertThat(s.nodes()).containsExactlyInAnyOrder("pve1", "pve2", "pve3");
              assertThat(s.content()).containsExactlyInAnyOrder("images", "rootdir");
            });
    assertThat(inventory.storage("ceph-vm").orElseThrow().availableOn("pve3")).isTrue();
    var nfs = inventory.storage("nfs-iso").orElseThrow();
    assertThat(nfs.availableOn("pve1")).isTrue();
    assertThat(nfs.availableOn("pve3")).isFalse();
    assertThat(nfs.content()).contains("vztmpl");

    assertThat(inventory.guest(9000).orElseThrow())
        .isEqualTo(new Inventory.Guest(9000, "qemu", "pve1", "debian-12-template", true));
    assertThat(inventory.guest(101).orElseThrow().template()).isFalse();
    assertThat(inventory.guest(202).orElseThrow())
        .satisfies(g -> assertThat(g.type()).isEqualTo("lxc"))
        .satisfies(g -> assertThat(g.template()).isTrue());
  }

  @Test
  void poolsZonesVnetsSecurityGroupsAndBridgesComeFromTheCis() {
    assertThat(inventory.pools()).contains("prod", "prod/web", "prod/db", "dev");
    assertThat(inventory.sdnZones()).contains("simple1", "vlanzone");
    assertThat(inventory.sdnVnets()).isNotEmpty();
    assertThat(inventory.securityGroups()).contains("web");
    assertThat(inventory.bridges().get("pve1")).contains("vmbr0");
    // pve3 carries an OVS bridge as well.
    assertThat(inventory.bridges().get("pve3")).hasSizeGreaterThan(1);
    assertThat(inventory.managed()).isEmpty();
  }

  @Test
  void aVmProgramIsCheckedAgainstTheDiscoveredCluster() {
    var vm = ProgramCatalog.standard().find("vm").orElseThrow();
    Map<String, Object> inputs = new HashMap<>();
    inputs.put("node", "pve1");
    inputs.put("vmid", 130);
    inputs.put("name", "app-01");
    inputs.put("template", 9000);
    inputs.put("user", "deploy");
    inputs.put("sshKeys", List.of(DeploymentServiceTest.KEY));
    inputs.put("ipConfig", List.of("ip=10.20.0.30/24,gw=10.20.0.1"));
    assertThat(vm.plan(inputs, inventory).inputs()).containsEntry("vmid", 130);

    // 101 exists (web-01) and is no template; pve9 is not a node of this cluster.
    inputs.put("vmid", 101);
    inputs.put("template", 101);
    inputs.put("node", "pve9");
    var refused = catchThrowableOfType(InputException.class, () -> vm.plan(inputs, inventory));
    assertThat(refused.errors()).extracting(FieldError::field).contains("node", "vmid", "template");
  }

  @Test
  void anUnknownConnectionIsNotFoundAndAnUndiscoveredOneIsRefused() {
    var unknown = new ConnectionRef("acme", "gone");
    assertThatThrownBy(() -> new CmdbInventory(cis, LAB::equals).inventory(unknown))
        .isInstanceOf(ConnectionNotFoundException.class);

    var fresh = new ConnectionRef("acme", "fresh");
    var refused =
        catchThrowableOfType(
            InventoryUnavailableException.class,
            () -> new CmdbInventory(cis, Set.of(LAB, fresh)::contains).inventory(fresh));
    assertThat(refused.errors()).extracting(FieldError::field).containsExactly("connectionId");
  }
}
