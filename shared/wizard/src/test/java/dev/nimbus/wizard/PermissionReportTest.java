package dev.nimbus.wizard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.proxmox.client.model.Permissions;
import dev.nimbus.proxmox.client.model.ProxmoxVersion;
import dev.nimbus.proxmox.provider.ProxmoxPermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PermissionReportTest {
  private static final ProxmoxVersion PVE8 = ProxmoxVersion.parse("8.4.1");
  private static final ProxmoxVersion PVE9 = ProxmoxVersion.parse("9.1.2");

  private static PermissionReport.FeatureStatus feature(PermissionReport r, WizardFeature f) {
    return r.features().stream().filter(s -> s.feature() == f).findFirst().orElseThrow();
  }

  @Test
  void auditorOnVmsOnlyMissesTheClusterWidePrivilegesWithTheirPathsAndCommands() {
    Permissions granted =
        new Permissions(
            Map.of(
                "/vms", Map.of("VM.Audit", true, "Sys.Audit", true, "VM.GuestAgent.Audit", true)));

    PermissionReport report = PermissionReport.evaluate(PVE9, granted, "audit@pve!vms", true);

    PermissionReport.FeatureStatus discovery = feature(report, WizardFeature.DISCOVERY);
    assertThat(discovery.granted()).isFalse();
    assertThat(discovery.missing())
        .extracting(p -> p.name() + " on " + p.path())
        .containsExactly(
            "Sys.Audit on /",
            "Datastore.Audit on /storage",
            "Pool.Audit on /pool",
            "SDN.Audit on /sdn");
    assertThat(discovery.commands())
        .containsExactly(
            "pveum acl modify / --users 'audit@pve' --roles PVEAuditor",
            "pveum acl modify / --tokens 'audit@pve!vms' --roles PVEAuditor",
            "pveum acl modify /storage --users 'audit@pve' --roles PVEAuditor",
            "pveum acl modify /storage --tokens 'audit@pve!vms' --roles PVEAuditor",
            "pveum acl modify /pool --users 'audit@pve' --roles PVEAuditor",
            "pveum acl modify /pool --tokens 'audit@pve!vms' --roles PVEAuditor",
            "pveum acl modify /sdn --users 'audit@pve' --roles PVEAuditor",
            "pveum acl modify /sdn --tokens 'audit@pve!vms' --roles PVEAuditor");
    assertThat(feature(report, WizardFeature.GUEST_AGENT).granted()).isTrue();
  }

  @Test
  void privilegesOutsidePveAuditorGetAFeatureRoleWithExactlyThem() {
    Permissions auditorOnRoot =
        new Permissions(
            Map.of(
                "/",
                Map.of(
                    "Sys.Audit",
                    true,
                    "VM.Audit",
                    true,
                    "Datastore.Audit",
                    true,
                    "Pool.Audit",
                    true,
                    "SDN.Audit",
                    true)));

    PermissionReport report =
        PermissionReport.evaluate(PVE8, auditorOnRoot, "nimbus@pve!ro", false);

    assertThat(feature(report, WizardFeature.DISCOVERY).granted()).isTrue();
    PermissionReport.FeatureStatus agent = feature(report, WizardFeature.GUEST_AGENT);
    assertThat(agent.missing())
        .extracting(WizardFeature.Privilege::name)
        .containsExactly("VM.Monitor");
    assertThat(agent.commands())
        .containsExactly(
            "pveum role add NimbusGuestAgent --privs 'VM.Monitor'",
            "pveum acl modify /vms --users 'nimbus@pve' --roles NimbusGuestAgent");
    assertThat(feature(report, WizardFeature.CHANGE_DETECTION).commands())
        .first()
        .isEqualTo("pveum role add NimbusChangeDetection --privs 'Sys.Syslog'");
  }

  @Test
  void deploymentIsJudgedPerProgramFromTheProviderListAndPve9SwapsVmMonitor() {
    assertThat(WizardFeature.DEPLOYMENT.privileges(PVE8))
        .extracting(WizardFeature.Privilege::name)
        .contains("VM.Clone", "VM.Monitor", "Sys.Modify", "SDN.Use", "SDN.Allocate");
    // Each privilege once per path, though several programs need it.
    assertThat(WizardFeature.DEPLOYMENT.privileges(PVE8)).doesNotHaveDuplicates();
    assertThat(WizardFeature.DEPLOYMENT.privileges(PVE9))
        .extracting(WizardFeature.Privilege::name)
        .doesNotContain("VM.Monitor")
        .contains("VM.GuestAgent.Audit");
    assertThat(WizardFeature.deployPrivileges("pool", PVE9))
        .containsExactly(
            new WizardFeature.Privilege("/pool", "Pool.Allocate"),
            new WizardFeature.Privilege("/pool", "Pool.Audit"));

    // A token that may manage pools only: the pool program is ready, the VM program is not.
    Permissions poolsOnly =
        new Permissions(Map.of("/pool", Map.of("Pool.Allocate", true, "Pool.Audit", true)));
    PermissionReport report = PermissionReport.evaluate(PVE9, poolsOnly, "deploy@pve!pools", true);

    assertThat(
            report.features().stream()
                .filter(f -> f.feature() == WizardFeature.DEPLOYMENT)
                .map(PermissionReport.FeatureStatus::program))
        .containsExactlyElementsOf(ProxmoxPermissions.DEPLOY_BY_PROGRAM.keySet());
    PermissionReport.FeatureStatus pool = deploy(report, "pool");
    assertThat(pool.granted()).isTrue();
    assertThat(pool.label()).isEqualTo("Deployment: pool");
    PermissionReport.FeatureStatus vm = deploy(report, "vm");
    assertThat(vm.granted()).isFalse();
    assertThat(vm.missing())
        .extracting(p -> p.name() + " on " + p.path())
        .contains(
            "VM.Clone on /vms", "Datastore.AllocateSpace on /storage", "SDN.Use on /sdn/zones");
    assertThat(vm.commands())
        .first()
        .asString()
        .startsWith("pveum role add NimbusDeployment --privs 'VM.Clone,VM.Allocate");
    assertThat(report.allGranted(WizardFeature.DEPLOYMENT)).isFalse();
  }

  private static PermissionReport.FeatureStatus deploy(PermissionReport r, String program) {
    return r.features().stream()
        .filter(s -> s.feature() == WizardFeature.DEPLOYMENT && program.equals(s.program()))
        .findFirst()
        .orElseThrow();
  }
}
