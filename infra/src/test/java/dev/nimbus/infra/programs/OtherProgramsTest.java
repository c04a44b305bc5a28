package dev.nimbus.infra.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.connections.FieldError;
import dev.nimbus.infra.ResourceKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The container, security group and SDN vnet programs on Pulumi's mocks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OtherProgramsTest {
  @Test
  void containerFromAnOsTemplateWithEveryInput() {
    Map<String, Object> in = new HashMap<>();
    in.put("node", "pve1");
    in.put("vmid", 240);
    in.put("hostname", "cache-01");
    in.put("osTemplate", "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
    in.put("osType", "debian");
    in.put("rootfsStorage", "local-lvm");
    in.put("rootfsSizeGiB", 16);
    in.put("memoryMiB", 1024);
    in.put("sshKeys", List.of(VmProgramTest.KEY));
    in.put("ipConfig", "ip=dhcp");
    var mocks = new RecordingMocks();
    var result =
        ProgramTestSupport.run(
            mocks, new ContainerProgram().plan(in, ProgramTestSupport.inventory()));
    assertThat(result.exceptions()).isEmpty();
    var ct = mocks.only(ResourceKind.CONTAINER.token());
    assertThat(ct.type()).isEqualTo("proxmoxve:index/containerLegacy:ContainerLegacy");
    assertThat(ct.provider()).contains("pulumi:providers:proxmoxve::proxmox");
    assertThat(ct.inputs())
        .isEqualTo(
            Map.ofEntries(
                Map.entry("nodeName", "pve1"),
                Map.entry("vmId", 240.0),
                Map.entry("unprivileged", true),
                Map.entry("started", true),
                Map.entry("startOnBoot", true),
                Map.entry(
                    "operatingSystem",
                    Map.of(
                        "templateFileId", "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
                        "type", "debian")),
                Map.entry("cpu", Map.of("cores", 1.0)),
                Map.entry("memory", Map.of("dedicated", 1024.0, "swap", 512.0)),
                Map.entry("disk", Map.of("datastoreId", "local-lvm", "size", 16.0)),
                Map.entry(
                    "networkInterfaces",
                    List.of(Map.of("name", "eth0", "bridge", "vmbr0", "firewall", true))),
                Map.entry(
                    "initialization",
                    Map.of(
                        "hostname", "cache-01",
                        "userAccount", Map.of("keys", List.of(VmProgramTest.KEY)),
                        "ipConfigs", List.of(Map.of("ipv4", Map.of("address", "dhcp")))))));
  }

  @Test
  void containerRefusesATemplateOnAStorageWithoutTemplatesAndABadIpConfig() {
    Map<String, Object> in = new HashMap<>();
    in.put("node", "pve2");
    in.put("vmid", 240);
    in.put("hostname", "cache_01");
    in.put("osTemplate", "ceph-vm:vztmpl/debian.tar.zst");
    in.put("rootfsStorage", "local-lvm");
    in.put("sshKeys", List.of(VmProgramTest.KEY));
    in.put("ipConfig", "ip=dhcp,gw=10.0.0.1");
    var e =
        catchThrowableOfType(
            InputException.class,
            () -> new ContainerProgram().plan(in, ProgramTestSupport.inventory()));
    assertThat(e.errors())
        .containsExactlyInAnyOrder(
            new FieldError("hostname", "must be a DNS name"),
            new FieldError("osTemplate", "storage 'ceph-vm' does not hold container templates"),
            new FieldError("ipConfig[0]", "gw needs a static ip"));
  }

  @Test
  void securityGroupWithRulesAttachedToAGuest() {
    Map<String, Object> in = new HashMap<>();
    in.put("group", "webfront");
    in.put("comment", "HTTP in");
    in.put(
        "rules",
        List.of(
            Map.of("direction", "in", "action", "ACCEPT", "proto", "tcp", "dport", "80,443"),
            Map.of(
                "direction",
                "in",
                "action",
                "ACCEPT",
                "proto",
                "tcp",
                "dport",
                "22",
                "source",
                "10.0.0.0/8")));
    in.put("guest", 101);
    var mocks = new RecordingMocks();
    var result =
        ProgramTestSupport.run(
            mocks, new SecurityGroupProgram().plan(in, ProgramTestSupport.inventory()));
    assertThat(result.exceptions()).isEmpty();
    var group = mocks.only(ResourceKind.SECURITY_GROUP.token());
    assertThat(group.type())
        .isEqualTo("proxmoxve:cluster/firewall/security/groupLegacy:GroupLegacy");
    assertThat(group.inputs())
        .isEqualTo(
            Map.of(
                "name", "webfront",
                "comment", "HTTP in",
                "rules",
                    List.of(
                        Map.of(
                            "type", "in", "action", "ACCEPT", "proto", "tcp", "dport", "80,443",
                            "enabled", true),
                        Map.of(
                            "type",
                            "in",
                            "action",
                            "ACCEPT",
                            "proto",
                            "tcp",
                            "dport",
                            "22",
                            "source",
                            "10.0.0.0/8",
                            "enabled",
                            true))));
    var rules = mocks.only(ResourceKind.FIREWALL_RULES.token());
    assertThat(rules.type()).isEqualTo("proxmoxve:firewall/rulesLegacy:RulesLegacy");
    assertThat(rules.inputs())
        .isEqualTo(
            Map.of(
                "nodeName",
                "pve1",
                "vmId",
                101.0,
                "rules",
                List.of(
                    Map.of(
                        "securityGroup",
                        "webfront",
                        "comment",
                        "managed by Nimbus",
                        "enabled",
                        true))));
    var options = mocks.only(ResourceKind.FIREWALL_OPTIONS.token());
    assertThat(options.type()).isEqualTo("proxmoxve:firewall/optionsLegacy:OptionsLegacy");
    assertThat(options.inputs())
        .isEqualTo(
            Map.of(
                "nodeName",
                "pve1",
                "vmId",
                101.0,
                "enabled",
                true,
                "inputPolicy",
                "DROP",
                "outputPolicy",
                "ACCEPT"));
    assertThat(List.of(group, rules, options))
        .allSatisfy(r -> assertThat(r.provider()).contains("pulumi:providers:proxmoxve::proxmox"));
  }

  @Test
  void securityGroupOnAContainerUsesContainerId() {
    var mocks = new RecordingMocks();
    ProgramTestSupport.run(
        mocks,
        new SecurityGroupProgram()
            .plan(
                Map.of(
                    "group",
                    "dns",
                    "rules",
                    List.of(
                        Map.of(
                            "direction", "in", "action", "ACCEPT", "proto", "udp", "dport", "53")),
                    "guest",
                    200),
                ProgramTestSupport.inventory()));
    assertThat(mocks.only(ResourceKind.FIREWALL_RULES.token()).inputs())
        .containsEntry("containerId", 200.0)
        .doesNotContainKey("vmId");
  }

  @Test
  void securityGroupRefusesBadRulesFieldByField() {
    var e =
        catchThrowableOfType(
            InputException.class,
            () ->
                new SecurityGroupProgram()
                    .plan(
                        Map.of(
                            "group",
                            "web",
                            "rules",
                            List.of(
                                Map.of("direction", "sideways", "action", "ALLOW"),
                                Map.of("direction", "in", "action", "DROP", "dport", "22")),
                            "guest",
                            9000),
                        ProgramTestSupport.inventory()));
    assertThat(e.errors())
        .containsExactlyInAnyOrder(
            new FieldError(
                "group", "security group 'web' exists already and is not managed by Nimbus"),
            new FieldError("rules[0].direction", "must be in or out"),
            new FieldError("rules[0].action", "must be ACCEPT, DROP or REJECT"),
            new FieldError("rules[1].dport", "needs proto (tcp or udp)"),
            new FieldError("guest", "guest 9000 is a template"));
  }

  @Test
  void sdnVnetInAZoneAppliedAfterwards() {
    var mocks = new RecordingMocks();
    var result =
        ProgramTestSupport.run(
            mocks,
            new SdnVnetProgram()
                .plan(
                    Map.of(
                        "vnet",
                        "v200",
                        "zone",
                        "z1",
                        "alias",
                        "app tier",
                        "tag",
                        200,
                        "vlanAware",
                        false),
                    ProgramTestSupport.inventory()));
    assertThat(result.exceptions()).isEmpty();
    var vnet = mocks.only(ResourceKind.SDN_VNET.token());
    assertThat(vnet.type()).isEqualTo("proxmoxve:sdn/vnet:Vnet");
    assertThat(vnet.inputs())
        .isEqualTo(
            Map.of(
                "resourceId",
                "v200",
                "zone",
                "z1",
                "alias",
                "app tier",
                "tag",
                200.0,
                "vlanAware",
                false));
    var applier = mocks.only(ResourceKind.SDN_APPLIER.token());
    assertThat(applier.type()).isEqualTo("proxmoxve:sdn/applier:Applier");
    assertThat(applier.inputs()).isEqualTo(Map.of("onCreate", true, "onDestroy", true));
    // The applier is registered after the vnet it depends on.
    assertThat(mocks.resources.indexOf(applier)).isGreaterThan(mocks.resources.indexOf(vnet));
  }

  @Test
  void sdnVnetRefusesAnUnknownZoneAndABadId() {
    var e =
        catchThrowableOfType(
            InputException.class,
            () ->
                new SdnVnetProgram()
                    .plan(
                        Map.of("vnet", "vnet-too-long", "zone", "z9"),
                        ProgramTestSupport.inventory()));
    assertThat(e.errors())
        .containsExactlyInAnyOrder(
            new FieldError("vnet", "must be 2-8 letters or digits, starting with a letter"),
            new FieldError("zone", "no SDN zone 'z9' in this cluster (known: [z1])"));
  }
}
