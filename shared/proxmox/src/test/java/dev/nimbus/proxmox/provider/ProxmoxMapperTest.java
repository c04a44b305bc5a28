package dev.nimbus.proxmox.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.model.Firewall;
import dev.nimbus.proxmox.client.model.GuestConfig;
import dev.nimbus.proxmox.client.model.GuestType;
import dev.nimbus.proxmox.client.model.StorageConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProxmoxMapperTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ProxmoxMapper MAPPER =
      new ProxmoxMapper(new CiFactory(new ConnectionRef("acme", "lab")));

  private static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  private static ClusterResource row(String json) {
    return ClusterResource.from(json(json));
  }

  private static final ClusterResource VM_ROW =
      row(
          """
          {"id":"qemu/310","type":"qemu","vmid":310,"node":"pve2","name":"app-1","status":"running",
           "maxcpu":4,"maxmem":8589934592,"tags":"web;Prod","pool":"prod/web","uptime":1234,"cpu":0.31}""");

  private ConfigurationItem guest(String config, Set<String> vnets) {
    GuestConfig c = GuestConfig.from(GuestType.QEMU, json(config));
    return MAPPER.guest(
        new ProxmoxMapper.GuestInputs(
            VM_ROW,
            c,
            null,
            false,
            Set.of(),
            Map.of("local-lvm", false, "ceph", true),
            vnets,
            List.of()));
  }

  @Test
  void aNicOnAnSdnVnetIsAttachedToTheVnetAndOneOnABridgeToTheNodesBridge() {
    ConfigurationItem ci =
        guest(
            """
            {"net0":"virtio=BC:24:11:00:00:01,bridge=vnet100","net1":"e1000=BC:24:11:00:00:02,bridge=vmbr0,tag=5"}""",
            Set.of("vnet100"));

    assertThat(ci.relationships(RelationshipKind.ATTACHED_TO))
        .extracting(r -> r.targetNativeKey() + " " + r.qualifier())
        .containsExactly("network/pve2/vmbr0 net1", "sdn/vnet/vnet100 net0");
  }

  @Test
  void disksOnSharedStorageAreStoredOnTheClusterStorageAndLocalOnesOnTheNodes() {
    ConfigurationItem ci =
        guest(
            """
            {"scsi0":"ceph:vm-310-disk-0,size=32G","scsi1":"local-lvm:vm-310-disk-1,size=100G",
             "ide2":"none,media=cdrom"}""",
            Set.of());

    assertThat(ci.relationships(RelationshipKind.STORED_ON))
        .extracting(r -> r.targetNativeKey() + " " + r.qualifier())
        .containsExactly("storage/ceph scsi0", "storage/pve2/local-lvm scsi1");
    assertThat(ci.attributes().get("diskBytes")).isEqualTo((32L + 100L) << 30);
  }

  @Test
  void volatileRowValuesStayOutOfTheCiButWhatTheRowSaysAboutTheGuestGoesIn() {
    ConfigurationItem ci = guest("{\"cores\":2,\"memory\":\"8192\"}", Set.of());

    assertThat(ci.attributes().asMap())
        .doesNotContainKeys("uptime", "cpu", "mem", "netin", "lock", "digest")
        .containsEntry("tags", List.of("prod", "web"))
        .containsEntry("vcpus", 4L)
        .containsEntry("memoryMiB", 8192L);
    assertThat(RowSignature.of(VM_ROW)).isEqualTo(RowSignature.of(ci));
  }

  @Test
  void ipAddressesLeaveOutLoopbackLinkLocalAndMethodsButKeepStaticCloudInitOnes() {
    GuestConfig c =
        GuestConfig.from(
            GuestType.QEMU,
            json(
                """
                {"ipconfig0":"ip=10.0.0.5/24,gw=10.0.0.1","ipconfig1":"ip=dhcp,ip6=auto",
                 "net0":"virtio=BC:24:11:00:00:01,bridge=vmbr0"}"""));

    assertThat(ProxmoxMapper.ipAddresses(c, List.of())).containsExactly("10.0.0.5");
  }

  @Test
  void storageTypesThatAreSharedByNatureAreSharedWhateverTheFlagSays() {
    StorageConfig rbd =
        StorageConfig.from(json("{\"storage\":\"ceph\",\"type\":\"rbd\",\"content\":\"images\"}"));
    StorageConfig dir =
        StorageConfig.from(
            json("{\"storage\":\"local\",\"type\":\"dir\",\"path\":\"/var/lib/vz\"}"));
    StorageConfig sharedLvm =
        StorageConfig.from(json("{\"storage\":\"san\",\"type\":\"lvm\",\"shared\":1}"));

    assertThat(ProxmoxMapper.isShared(rbd)).isTrue();
    assertThat(ProxmoxMapper.isShared(dir)).isFalse();
    assertThat(ProxmoxMapper.isShared(sharedLvm)).isTrue();
  }

  @Test
  void firewallRulesKeepTheirOrderAndGroupRulesProtectWithTheGroup() {
    List<Firewall.Rule> rules =
        List.of(
            Firewall.Rule.from(
                json("{\"pos\":1,\"type\":\"in\",\"action\":\"DROP\",\"enable\":1}")),
            Firewall.Rule.from(
                json("{\"pos\":0,\"type\":\"group\",\"action\":\"web\",\"enable\":1}")));

    ConfigurationItem set =
        MAPPER.ruleSet("firewall/node/pve1", "node-firewall", "n", "node/pve1", rules);

    List<?> ordered = (List<?>) set.attributes().get("rules");
    List<Object> positions =
        ordered.stream().map(r -> (Object) ((Map<?, ?>) r).get("pos")).toList();
    assertThat(positions).containsExactly(0L, 1L);
    assertThat(set.relationships(RelationshipKind.PROTECTED_BY))
        .extracting(r -> r.targetNativeKey())
        .containsExactly("firewall/group/web");
  }

  @Test
  void aConfigTheLenientParserAcceptedButThatCannotBeRightIsFound() {
    GuestConfig c =
        GuestConfig.from(
            GuestType.QEMU, json("{\"memory\":\"lots\",\"cores\":2,\"net0\":\"bridge=vmbr0\"}"));

    assertThat(GuestConfigCheck.problems(c))
        .anyMatch(p -> p.startsWith("memory is not a number: 'lots'"))
        .anyMatch(p -> p.startsWith("net0 has no NIC model"));
  }
}
