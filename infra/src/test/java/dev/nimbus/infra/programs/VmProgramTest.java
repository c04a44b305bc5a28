package dev.nimbus.infra.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.connections.FieldError;
import dev.nimbus.infra.ProxmoxVePackage;
import dev.nimbus.infra.ResourceKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VmProgramTest {
  static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOa9v0dDq4yWkz alice@laptop";

  static Map<String, Object> valid() {
    Map<String, Object> m = new HashMap<>();
    m.put("node", "pve1");
    m.put("vmid", 130);
    m.put("name", "app-01");
    m.put("template", 9000);
    m.put("datastore", "ceph-vm");
    m.put("cores", 4);
    m.put("memoryMiB", 4096);
    m.put("bridge", "vmbr1");
    m.put("vlanTag", 20);
    m.put("pool", "prod/web");
    m.put("tags", List.of("web", "prod"));
    m.put("user", "deploy");
    m.put("sshKeys", List.of(KEY));
    m.put("ipConfig", List.of("ip=10.20.0.30/24,gw=10.20.0.1"));
    m.put("dnsServers", List.of("10.20.0.2"));
    m.put("dnsDomain", "lab.example");
    return m;
  }

  @Test
  void clonesTheTemplateWithCloudInitThroughTheExplicitProvider() {
    var mocks = new RecordingMocks();
    var result =
        ProgramTestSupport.run(
            mocks, new VmProgram().plan(valid(), ProgramTestSupport.inventory()));
    assertThat(result.exceptions()).isEmpty();

    var provider = mocks.only("pulumi:providers:proxmoxve");
    assertThat(provider.inputs())
        .containsEntry("endpoint", "https://127.0.0.1:18006/")
        .containsEntry("apiToken", "nimbus@pve!deploy=" + ProgramTestSupport.TOKEN_SECRET)
        .containsEntry("insecure", false)
        .containsEntry("minTls", "1.3");

    var vm = mocks.only(ResourceKind.VM.token());
    assertThat(vm.type()).isEqualTo("proxmoxve:index/vmLegacy:VmLegacy");
    assertThat(vm.name()).isEqualTo("app-01");
    assertThat(vm.provider()).contains("pulumi:providers:proxmoxve::proxmox");
    assertThat(vm.inputs())
        .containsOnlyKeys(
            "nodeName",
            "vmId",
            "name",
            "tags",
            "poolId",
            "started",
            "onBoot",
            "clone",
            "cpu",
            "memory",
            "agent",
            "networkDevices",
            "initialization");
    assertThat(vm.inputs())
        .containsEntry("nodeName", "pve1")
        .containsEntry("vmId", 130.0)
        .containsEntry("name", "app-01")
        .containsEntry("tags", List.of("web", "prod"))
        .containsEntry("poolId", "prod/web")
        .containsEntry("started", true)
        .containsEntry("onBoot", true)
        .containsEntry(
            "clone",
            Map.of("vmId", 9000.0, "nodeName", "pve2", "datastoreId", "ceph-vm", "full", true))
        .containsEntry("cpu", Map.of("cores", 4.0, "sockets", 1.0))
        .containsEntry("memory", Map.of("dedicated", 4096.0))
        .containsEntry("agent", Map.of("enabled", true))
        .containsEntry(
            "networkDevices",
            List.of(Map.of("bridge", "vmbr1", "model", "virtio", "firewall", true, "vlanId", 20.0)))
        .containsEntry(
            "initialization",
            Map.of(
                "userAccount", Map.of("username", "deploy", "keys", List.of(KEY)),
                "ipConfigs",
                    List.of(
                        Map.of("ipv4", Map.of("address", "10.20.0.30/24", "gateway", "10.20.0.1"))),
                "dns", Map.of("domain", "lab.example", "servers", List.of("10.20.0.2"))));
  }

  @Test
  void pinsTheProviderVersionAndDownloadLocation() {
    assertThat(ProxmoxVePackage.VERSION).isEqualTo("8.3.0");
    assertThat(ProxmoxVePackage.options(null).getVersion()).contains("8.3.0");
    assertThat(ProxmoxVePackage.options(null).getPluginDownloadURL())
        .contains("github://api.github.com/muhlba91/pulumi-proxmoxve");
  }

  @Test
  void refusesEveryBadFieldAtOnceBeforeAnyEngineCall() {
    Map<String, Object> bad = valid();
    bad.put("node", "pve9");
    bad.put("vmid", 42);
    bad.put("template", 101);
    bad.put("datastore", "backups");
    bad.put("ipConfig", List.of("ip=10.20.0.300/24,gw=10.20.0.1"));
    bad.put("sshKeys", List.of("not a key"));
    bad.put("colour", "blue");
    var e =
        catchThrowableOfType(
            InputException.class, () -> new VmProgram().plan(bad, ProgramTestSupport.inventory()));
    assertThat(e.errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "node", "vmid", "template", "datastore", "ipConfig[0]", "sshKeys[0]", "colour");
    assertThat(e.errors())
        .contains(
            new FieldError("vmid", "must be between 100 and 999999999"),
            new FieldError("template", "VM 101 (web-01) is not a QEMU template"),
            new FieldError("colour", "is not an input of this program"));
  }

  @Test
  void refusesAVmIdTakenByAGuestTheStackDoesNotManage() {
    Map<String, Object> in = valid();
    in.put("vmid", 101);
    var e =
        catchThrowableOfType(
            InputException.class, () -> new VmProgram().plan(in, ProgramTestSupport.inventory()));
    assertThat(e.errors())
        .containsExactly(new FieldError("vmid", "VM id 101 is taken by qemu/101 web-01"));
    // The stack's own VM is not "taken": a second up of the same stack validates.
    var plan =
        new VmProgram()
            .plan(in, ProgramTestSupport.inventory().managing(java.util.Set.of("qemu/101")));
    assertThat(plan.inputs()).containsEntry("vmid", 101);
  }

  @Test
  void refusesAStorageOfAnotherNodeOrWithoutImages() {
    Map<String, Object> in = valid();
    in.put("datastore", "local");
    var e =
        catchThrowableOfType(
            InputException.class, () -> new VmProgram().plan(in, ProgramTestSupport.inventory()));
    assertThat(e.errors())
        .containsExactly(
            new FieldError("datastore", "storage 'local' does not hold 'images' content"));
  }
}
