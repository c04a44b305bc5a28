package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.support.TestClients.NODE;
import static dev.nimbus.proxmox.client.support.TestClients.pinned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.proxmox.client.model.ClusterLogEntry;
import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.model.GuestAgent;
import dev.nimbus.proxmox.client.model.GuestConfig;
import dev.nimbus.proxmox.client.model.Pool;
import dev.nimbus.proxmox.client.model.RrdPoint;
import dev.nimbus.proxmox.client.support.FakePve;
import dev.nimbus.proxmox.client.support.FakePve.Reply;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The typed API asks for the right paths and parameters and maps the answers. */
class EndpointsTest {
  private FakePve pve;
  private ProxmoxClient client;

  @BeforeEach
  void start() {
    pve =
        new FakePve(NODE)
            .fixture("/version", "version_pve9.json")
            .fixture("/cluster/status", "cluster_status.json")
            .fixture("/cluster/resources", "cluster_resources_pve91_network.json")
            .fixture("/cluster/tasks", "node_tasks.json")
            .fixture("/cluster/firewall/rules", "cluster_firewall_rules.json")
            .fixture("/cluster/sdn/zones", "sdn_zones.json")
            .fixture("/cluster/sdn/vnets", "sdn_vnets.json")
            .fixture("/cluster/sdn/vnets/appnet/subnets", "sdn_vnet_subnets.json")
            .fixture("/cluster/sdn/vnets/appnet/firewall/rules", "sdn_vnet_firewall_rules.json")
            .fixture("/nodes", "nodes.json")
            .fixture("/nodes/alpha/network", "node_network_vlan_bridge.json")
            .fixture("/nodes/alpha/qemu", "qemu_list.json")
            .fixture("/nodes/alpha/lxc", "lxc_list.json")
            .fixture("/nodes/alpha/qemu/220/config", "qemu_config_cloudinit_agent.json")
            .fixture("/nodes/alpha/qemu/220/status/current", "qemu_status_current_running.json")
            .fixture("/nodes/alpha/qemu/220/rrddata", "qemu_rrddata_hour_stopped_vm.json")
            .fixture(
                "/nodes/alpha/qemu/220/agent/network-get-interfaces",
                "qemu_agent_network_get_interfaces.json")
            .fixture(
                "/nodes/alpha/qemu/221/agent/network-get-interfaces",
                "qemu_agent_network_get_interfaces_unsupported.json")
            .fixture("/nodes/alpha/lxc/501/interfaces", "lxc_interfaces.json")
            .fixture("/storage", "storage_config.json")
            .fixture("/access/permissions", "access_permissions.json");
    client = ProxmoxClient.create(pinned(pve).build());
  }

  @AfterEach
  void stop() {
    pve.close();
  }

  @Test
  void readsClusterWideEndpoints() {
    assertThat(client.version().parsed().networkRows()).isTrue();
    assertThat(client.cluster().status()).hasSize(4);
    List<ClusterResource> resources = client.cluster().resources();
    assertThat(resources).extracting(ClusterResource::type).contains("network", "pool");
    assertThat(pve.requests("GET", "/cluster/resources").get(0).query()).isEmpty();
    assertThat(client.cluster().tasks()).hasSize(2);
    assertThat(client.cluster().firewall().rules()).hasSize(3);
    assertThat(client.cluster().sdn().zones()).hasSize(2);
    assertThat(client.cluster().sdn().vnets()).hasSize(2);
    assertThat(client.cluster().sdn().subnets("appnet").get(0).gateway()).isEqualTo("10.50.0.1");
    assertThat(client.cluster().sdn().vnetFirewallRules("appnet"))
        .allMatch(r -> r.type().equals("forward"));
    assertThat(client.storage().config()).hasSize(2);
    assertThat(client.access().permissions().has("/vms/1", "VM.Audit")).isTrue();
    assertThat(client.callCount()).isEqualTo(11);
  }

  @Test
  void readsNodeAndGuestEndpointsWithTheirParameters() {
    assertThat(client.nodes()).hasSize(2);
    NodeApi alpha = client.node("alpha");
    assertThat(alpha.network()).hasSize(4);
    assertThat(alpha.qemus()).hasSize(2);
    assertThat(alpha.lxcs()).extracting(g -> g.vmid()).containsExactly(501, 502);

    GuestConfig pendingApplied = alpha.qemu(220).config();
    GuestConfig current = alpha.qemu(220).currentConfig();
    assertThat(pendingApplied.name()).isEqualTo(current.name());
    List<FakePve.Request> configs = pve.requests("GET", "/nodes/alpha/qemu/220/config");
    assertThat(configs.get(0).query()).isEmpty();
    assertThat(configs.get(1).query()).containsExactly(Map.entry("current", "1"));

    assertThat(alpha.qemu(220).status().runningQemu()).isEqualTo("9.0.2");
    List<RrdPoint> rrd =
        alpha.qemu(220).rrddata(RrdPoint.Timeframe.HOUR, RrdPoint.Consolidation.MAX);
    assertThat(rrd).hasSize(2);
    assertThat(pve.requests("GET", "/nodes/alpha/qemu/220/rrddata").get(0).query())
        .containsEntry("timeframe", "hour")
        .containsEntry("cf", "MAX");

    GuestAgent.Reply<List<GuestAgent.Interface>> agent = alpha.qemu(220).agentNetworkInterfaces();
    assertThat(agent.value()).extracting(GuestAgent.Interface::name).contains("ens18");
    GuestAgent.Reply<List<GuestAgent.Interface>> unsupported =
        alpha.qemu(221).agentNetworkInterfaces();
    assertThat(unsupported.isError()).isTrue();
    assertThat(unsupported.errorClass()).isEqualTo("CommandNotFound");
    assertThat(alpha.lxc(501).interfaces()).hasSize(2);
  }

  @Test
  void readsAPoolWithMembersOnServersThatKnowPoolQueries() {
    pve.fixture("/pools", "pools_by_poolid.json");
    Pool pool = client.pools().get("team-a");
    assertThat(pool.members())
        .extracting(Pool.PoolMember::id)
        .containsExactly("qemu/400", "storage/alpha/backups");
    assertThat(pve.requests("GET", "/pools").get(0).query()).containsEntry("poolid", "team-a");
    assertThat(pve.requests("GET", "/pools/team-a")).isEmpty();
  }

  @Test
  void fallsBackToThePerPoolPathOnServersOlderThan81() {
    pve.route("GET", "/pools", r -> Reply.data("[{\"poolid\":\"team-a\",\"comment\":\"Team A\"}]"));
    pve.route(
        "GET",
        "/pools/team-a",
        r ->
            Reply.data(
                "{\"comment\":\"Team A\",\"members\":[{\"id\":\"lxc/401\",\"type\":\"lxc\",\"node\":\"beta\",\"vmid\":401}]}"));
    Pool pool = client.pools().get("team-a");
    assertThat(pool.poolid()).isEqualTo("team-a");
    assertThat(pool.members()).extracting(Pool.PoolMember::vmid).containsExactly(401);
  }

  @Test
  void reportsNoMetricsExportWhereTheServerLacksIt() {
    assertThat(client.cluster().metricsExport(false, null)).isEmpty();
    pve.route(
        "GET",
        "/cluster/metrics/export",
        r ->
            Reply.data(
                "{\"data\":[{\"id\":\"qemu/220\",\"metric\":\"cpu_current\",\"timestamp\":1700000000,\"type\":\"gauge\",\"value\":0.25}]}"));
    assertThat(client.cluster().metricsExport(true, 1699999000L).orElseThrow())
        .singleElement()
        .satisfies(m -> assertThat(m.value()).isEqualTo(0.25));
    assertThat(pve.requests("GET", "/cluster/metrics/export").get(1).query())
        .containsEntry("history", "1")
        .containsEntry("start-time", "1699999000");
  }

  @Test
  void listsAndDeletesApiTokens() {
    pve.route(
        "GET",
        "/access/users/discovery@pve/token",
        r ->
            Reply.data("[{\"tokenid\":\"ro\",\"privsep\":1,\"expire\":0,\"comment\":\"nimbus\"}]"));
    pve.route("DELETE", "/access/users/discovery@pve/token/ro", r -> Reply.data("null"));
    assertThat(client.access().tokens("discovery@pve"))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.tokenid()).isEqualTo("ro");
              assertThat(t.expire()).isNull();
              assertThat(t.privsep()).isTrue();
            });
    client.access().deleteToken("discovery@pve", "ro");
    assertThat(pve.requests("DELETE", "/access/users/discovery@pve/token/ro")).hasSize(1);
  }

  @Test
  void readsTheClusterLogWithItsLimitAndLenientFields() {
    pve.route(
        "GET",
        "/cluster/log",
        r ->
            Reply.data(
                """
                [{"uid":41,"time":1767000100,"pri":6,"tag":"pvedaemon","pid":24017,                "node":"alpha","user":"ops@pve!cli","msg":"update VM 220: -memory 3072"},
                {"uid":"40","time":"1767000000","pri":"6","tag":"pveproxy","pid":"811",                "node":"beta","user":"root@pam","msg":"update VM 221: -delete tags"},
                {"msg":"a line without the other fields"}]"""));
    List<ClusterLogEntry> log = client.cluster().log(3);
    assertThat(pve.requests("GET", "/cluster/log").get(0).query())
        .containsExactly(Map.entry("max", "3"));
    assertThat(log.get(0))
        .isEqualTo(
            new ClusterLogEntry(
                41,
                Instant.ofEpochSecond(1767000100),
                "alpha",
                "ops@pve!cli",
                "pvedaemon",
                24017,
                6,
                "update VM 220: -memory 3072"));
    assertThat(log.get(1).uid()).isEqualTo(40);
    assertThat(log.get(1).time()).isEqualTo(Instant.ofEpochSecond(1767000000));
    assertThat(log.get(1).pid()).isEqualTo(811);
    assertThat(log.get(2).uid()).isZero();
    assertThat(log.get(2).time()).isNull();
    assertThat(log.get(2).user()).isNull();
    assertThatThrownBy(() -> client.cluster().log(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
