package dev.nimbus.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.infra.programs.DeployPermissions;
import dev.nimbus.infra.programs.ProgramCatalog;
import dev.nimbus.infra.resources.ContainerLegacy;
import dev.nimbus.infra.resources.FirewallOptionsLegacy;
import dev.nimbus.infra.resources.FirewallRulesLegacy;
import dev.nimbus.infra.resources.PoolLegacy;
import dev.nimbus.infra.resources.SdnApplier;
import dev.nimbus.infra.resources.SdnVnet;
import dev.nimbus.infra.resources.SecurityGroupLegacy;
import dev.nimbus.infra.resources.VmLegacy;
import dev.nimbus.model.PermissionRequirement;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceKindTest {
  @Test
  void resourceClassesUseTheVersion8Tokens() {
    assertThat(VmLegacy.TOKEN).isEqualTo(ResourceKind.VM.token());
    assertThat(ContainerLegacy.TOKEN).isEqualTo(ResourceKind.CONTAINER.token());
    assertThat(PoolLegacy.TOKEN).isEqualTo(ResourceKind.POOL.token());
    assertThat(SecurityGroupLegacy.TOKEN).isEqualTo(ResourceKind.SECURITY_GROUP.token());
    assertThat(FirewallRulesLegacy.TOKEN).isEqualTo(ResourceKind.FIREWALL_RULES.token());
    assertThat(FirewallOptionsLegacy.TOKEN).isEqualTo(ResourceKind.FIREWALL_OPTIONS.token());
    assertThat(SdnVnet.TOKEN).isEqualTo(ResourceKind.SDN_VNET.token());
    assertThat(SdnApplier.TOKEN).isEqualTo(ResourceKind.SDN_APPLIER.token());
  }

  @Test
  void acceptsTheTokensOfBothVersions() {
    assertThat(ResourceKind.ofToken("proxmoxve:VM/virtualMachine:VirtualMachine"))
        .contains(ResourceKind.VM);
    assertThat(ResourceKind.ofToken("proxmoxve:index/vmLegacy:VmLegacy")).contains(ResourceKind.VM);
    assertThat(ResourceKind.ofToken("proxmoxve:CT/container:Container"))
        .contains(ResourceKind.CONTAINER);
    assertThat(ResourceKind.ofToken("proxmoxve:Sdn/vnet:Vnet")).contains(ResourceKind.SDN_VNET);
    assertThat(ResourceKind.ofToken("proxmoxve:index/vm:Vm")).isEmpty();
  }

  @Test
  void mapsOutputsToTheCiNativeKeysDiscoveryUses() {
    assertThat(ResourceKind.VM.nativeKey(Map.of("vmId", 130.0))).contains("qemu/130");
    assertThat(ResourceKind.CONTAINER.nativeKey(Map.of("vmId", 240))).contains("lxc/240");
    assertThat(ResourceKind.POOL.nativeKey(Map.of("poolId", "prod/web"))).contains("pool/prod/web");
    assertThat(ResourceKind.SECURITY_GROUP.nativeKey(Map.of("name", "webfront")))
        .contains("firewall/group/webfront");
    assertThat(ResourceKind.FIREWALL_RULES.nativeKey(Map.of("containerId", 200.0)))
        .contains("firewall/guest/200");
    assertThat(ResourceKind.SDN_VNET.nativeKey(Map.of("resourceId", "v200")))
        .contains("sdn/vnet/v200");
    // Version 7 state names the vnet's id vnetId.
    assertThat(ResourceKind.SDN_VNET.nativeKey(Map.of("vnetId", "v7"))).contains("sdn/vnet/v7");
    assertThat(ResourceKind.SDN_APPLIER.nativeKey(Map.of())).isEmpty();
  }

  @Test
  void everyProgramListsItsDeployPrivileges() {
    for (var p : ProgramCatalog.standard().all()) {
      assertThat(p.permissions()).as(p.name()).isNotEmpty();
      assertThat(p.permissions())
          .extracting(PermissionRequirement::feature)
          .containsOnly(dev.nimbus.model.Feature.DEPLOYMENT);
    }
    assertThat(DeployPermissions.forProgram("vm"))
        .extracting(PermissionRequirement::privilege)
        .contains(
            "VM.Clone", "VM.Allocate", "VM.Config.Cloudinit", "Datastore.AllocateSpace", "SDN.Use");
    // Creating a vnet needs SDN.Allocate, which the provider's documented role lacks.
    assertThat(DeployPermissions.forProgram("sdn-vnet"))
        .extracting(PermissionRequirement::privilege)
        .contains("SDN.Allocate");
    assertThat(DeployPermissions.PROVIDER_DOCUMENTED).doesNotContain("SDN.Allocate").hasSize(24);
  }
}
