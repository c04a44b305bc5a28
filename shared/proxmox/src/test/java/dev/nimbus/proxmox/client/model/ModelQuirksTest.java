package dev.nimbus.proxmox.client.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.proxmox.client.support.FakePve;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The documented Proxmox quirks, each on a fixture that carries it. */
class ModelQuirksTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode data(String fixture) {
    return JSON.readTree(FakePve.Fixtures.text(fixture)).path("data");
  }

  private static <T> List<T> rows(String fixture, java.util.function.Function<JsonNode, T> f) {
    List<T> out = new ArrayList<>();
    data(fixture).forEach(n -> out.add(f.apply(n)));
    return out;
  }

  @Test
  void readsBooleansSentAsNumbersStringsOrEmpty() {
    JsonNode n = JSON.readTree("{\"a\":1,\"b\":0,\"c\":\"1\",\"d\":\"\",\"e\":true,\"f\":null}");
    assertThat(Lenient.bool(n, "a")).isTrue();
    assertThat(Lenient.bool(n, "b")).isFalse();
    assertThat(Lenient.bool(n, "c")).isTrue();
    assertThat(Lenient.boolOrNull(n, "d")).isNull();
    assertThat(Lenient.bool(n, "e")).isTrue();
    assertThat(Lenient.boolOrNull(n, "f")).isNull();
    assertThat(Lenient.boolOrNull(n, "missing")).isNull();
  }

  @Test
  void readsNumbersSentAsStrings() {
    List<GuestSummary> lxc = rows("lxc_list.json", n -> GuestSummary.from(GuestType.LXC, n));
    assertThat(lxc).extracting(GuestSummary::vmid).containsExactly(501, 502);
    GuestStatus status = GuestStatus.from(GuestType.LXC, data("lxc_status_current_ha.json"));
    assertThat(status.cpus()).isEqualTo(2.0);
    assertThat(status.haManaged()).isTrue();
    assertThat(status.haGroup()).isEqualTo("prefer-alpha");
    NodeStatus node = NodeStatus.from(data("node_status_pve7.json"));
    assertThat(node.loadavg()).containsExactly(0.15, 0.20, 0.25);
    assertThat(node.version()).isEqualTo(new ProxmoxVersion(7, 4, 17));
  }

  @Test
  void keepsEveryClusterResourceRowTypeIncludingNetworkAndPoolRows() {
    List<ClusterResource> rows =
        rows("cluster_resources_pve91_network.json", ClusterResource::from);
    assertThat(rows)
        .extracting(ClusterResource::type)
        .containsExactly("network", "network", "pool", "pool", "storage", "qemu");
    ClusterResource fabric = rows.get(1);
    assertThat(fabric.networkType()).isEqualTo("fabric");
    assertThat(fabric.protocol()).isEqualTo("openfabric");
    assertThat(rows.get(3).pool()).isEqualTo("team-a/sub");
    assertThat(rows.get(4).shared()).isTrue();
    ClusterResource vm = rows.get(5);
    assertThat(vm.tags()).containsExactly("a", "b", "c");
    assertThat(vm.lock()).isEqualTo("backup");
    assertThat(vm.hastate()).isEqualTo("started");
    assertThat(vm.memhost()).isEqualTo(100L);
    List<ClusterResource> sdn = rows("cluster_resources_with_sdn.json", ClusterResource::from);
    assertThat(sdn)
        .filteredOn(r -> "sdn".equals(r.type()))
        .extracting(ClusterResource::sdn)
        .containsExactly("localnetwork", "labzone");
  }

  @Test
  void keepsUnknownResourceFieldsInTheRawJson() {
    ClusterResource row = rows("cluster_resources_pve9_memhost.json", ClusterResource::from).get(0);
    assertThat(row.raw().path("pressurecpusome").asDouble()).isEqualTo(0.01);
  }

  @Test
  void parsesQemuConfigPropertyStringsIntoTypedDevices() {
    GuestConfig c = GuestConfig.from(GuestType.QEMU, data("qemu_config_cloudinit_agent.json"));
    assertThat(c.memoryMiB()).isEqualTo(2048L);
    assertThat(c.tags()).containsExactly("web", "blue", "canary");
    assertThat(c.agent().enabled()).isTrue();
    NetDevice net0 = c.nets().get("net0");
    assertThat(net0.model()).isEqualTo("virtio");
    assertThat(net0.rate()).isEqualTo(12.5);
    assertThat(c.disks()).containsOnlyKeys("ide0", "ide2", "scsi0");
    assertThat(c.disks().get("ide0").isCdrom()).isTrue();
    assertThat(c.diskBytes()).isEqualTo(20L << 30);

    GuestConfig multi = GuestConfig.from(GuestType.QEMU, data("qemu_config_multinic.json"));
    assertThat(multi.nets().keySet()).containsExactly("net0", "net1", "net10");
    assertThat(multi.nets().get("net10").model()).isEqualTo("vmxnet3");
    assertThat(multi.nets().get("net10").unknown()).containsEntry("mystery", "keep");
    assertThat(multi.template()).isFalse();
    assertThat(multi.agent().type()).isEqualTo("isa");

    GuestConfig ip = GuestConfig.from(GuestType.QEMU, data("qemu_config_ipconfig.json"));
    assertThat(ip.ipConfigs().get("ipconfig0").gw()).isEqualTo("10.9.1.1");
    assertThat(ip.ipConfigs().get("ipconfig1").ip()).isEqualTo("dhcp");
    assertThat(ip.vcpus()).isEqualTo(3);
    assertThat(ip.disks()).containsKeys("scsi0", "virtio1", "efidisk0", "unused0");
    assertThat(ip.diskBytes()).isEqualTo((64L << 30) + (1L << 40) + (1L << 20));
  }

  @Test
  void parsesLxcRootfsMountPointsAndRawLxcKeys() {
    GuestConfig c = GuestConfig.from(GuestType.LXC, data("lxc_config_raw_lxc_keys.json"));
    assertThat(c.name()).isEqualTo("media-ct");
    assertThat(c.rootfs().storage()).isEqualTo("tank");
    assertThat(c.rootfs().sizeBytes()).isEqualTo(16L << 30);
    assertThat(c.mountPoints().get("mp0").storage()).isNull();
    assertThat(c.mountPoints().get("mp0").unknown()).containsEntry("ro", "1");
    assertThat(c.mountPoints().get("mp1").storage()).isEqualTo("tank");
    assertThat(c.lxcKeys())
        .containsExactly(
            new GuestConfig.LxcKey("lxc.cgroup2.devices.allow", "c 10:200 rwm"),
            new GuestConfig.LxcKey("lxc.mount.entry", "/dev/net dev/net none bind,create=dir"));
    assertThat(c.nets().get("net0").tag()).isEqualTo(20);
    assertThat(c.memoryMiB()).isEqualTo(1024L);
  }

  @Test
  void readsBothLxcInterfaceShapesAlike() {
    List<GuestAgent.Interface> old = rows("lxc_interfaces.json", GuestAgent::lxcInterface);
    JsonNode modern =
        JSON.readTree(
            """
            [{"name":"eth0","hwaddr":"bc:24:11:aa:bb:01","hardware-address":"bc:24:11:aa:bb:01",
              "inet":"10.9.1.50/24","inet6":"fd00::50/64",
              "ip-addresses":[{"ip-address":"10.9.1.50","ip-address-type":"inet","prefix":24},
                              {"ip-address":"fd00::50","ip-address-type":"inet6","prefix":64}]}]
            """);
    GuestAgent.Interface now = GuestAgent.lxcInterface(modern.get(0));
    assertThat(now).isEqualTo(old.get(1));
  }

  @Test
  void decodesTaskIds() {
    Upid upid = Upid.parse("UPID:alpha:000004D2:0000162E:65538100:qmstart:210:ops@pve!ci:");
    assertThat(upid.node()).isEqualTo("alpha");
    assertThat(upid.pid()).isEqualTo(1234);
    assertThat(upid.pstart()).isEqualTo(5678);
    assertThat(upid.starttime()).isEqualTo(Instant.ofEpochSecond(0x65538100L));
    assertThat(upid.type()).isEqualTo("qmstart");
    assertThat(upid.vmid()).isEqualTo(210);
    assertThat(upid.user()).isEqualTo("ops@pve!ci");
    assertThat(Upid.parse("UPID:alpha:000010E1:0000223D:655381C8:aptupdate::root@pam:").vmid())
        .isNull();
    assertThatThrownBy(() -> Upid.parse("UPID:broken"))
        .isInstanceOf(IllegalArgumentException.class);
    List<Task> tasks = rows("node_tasks.json", Task::from);
    assertThat(tasks.get(0).succeeded()).isTrue();
    assertThat(tasks.get(1).succeeded()).isFalse();
    assertThat(tasks.get(1).status()).contains("exit code 100");
  }

  @Test
  void answersPermissionQuestionsWithPropagation() {
    Permissions p = Permissions.from(data("access_permissions.json"));
    assertThat(p.has("/vms/210", "VM.Audit")).isTrue();
    assertThat(p.has("/nodes/alpha", "Sys.Audit")).isTrue();
    assertThat(p.has("/storage/tank", "Datastore.AllocateSpace")).isFalse();
    assertThat(p.has("/pool/lab", "Pool.Audit")).isTrue();
    assertThat(p.has("/sdn/zones/x", "SDN.Allocate")).isFalse();
  }

  @Test
  void omitsUndefinedRrdValues() {
    List<RrdPoint> points = rows("qemu_rrddata_hour_stopped_vm.json", RrdPoint::from);
    assertThat(points.get(0).value("cpu")).isEmpty();
    assertThat(points.get(1).value("cpu")).hasValue(0.5);
    assertThat(points.get(1).value("netin")).hasValue(1024.5);
  }

  @Test
  void readsNetworkInterfacePortListsAndStringVlanIds() {
    List<NodeNetworkInterface> rows =
        rows("node_network_vlan_bridge.json", NodeNetworkInterface::from);
    assertThat(rows.get(1).vlanId()).isEqualTo(5);
    assertThat(rows.get(2).bridgePorts()).containsExactly("enp1s0.5", "enp2s0");
    assertThat(rows.get(2).bridgeVlanAware()).isTrue();
    List<NodeNetworkInterface> ovs = rows("node_network_ovs.json", NodeNetworkInterface::from);
    assertThat(ovs.get(2).ovsPorts()).containsExactly("ens19", "vlan50");
    assertThat(ovs.get(2).isBridge()).isTrue();
  }
}
