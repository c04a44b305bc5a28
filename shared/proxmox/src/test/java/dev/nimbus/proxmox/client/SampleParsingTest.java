package dev.nimbus.proxmox.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.model.ClusterStatusEntry;
import dev.nimbus.proxmox.client.model.Firewall;
import dev.nimbus.proxmox.client.model.GuestAgent;
import dev.nimbus.proxmox.client.model.GuestConfig;
import dev.nimbus.proxmox.client.model.GuestStatus;
import dev.nimbus.proxmox.client.model.GuestSummary;
import dev.nimbus.proxmox.client.model.GuestType;
import dev.nimbus.proxmox.client.model.Lenient;
import dev.nimbus.proxmox.client.model.NodeNetworkInterface;
import dev.nimbus.proxmox.client.model.NodeStatus;
import dev.nimbus.proxmox.client.model.NodeSummary;
import dev.nimbus.proxmox.client.model.Permissions;
import dev.nimbus.proxmox.client.model.Pool;
import dev.nimbus.proxmox.client.model.RrdPoint;
import dev.nimbus.proxmox.client.model.Sdn;
import dev.nimbus.proxmox.client.model.StorageConfig;
import dev.nimbus.proxmox.client.model.Task;
import dev.nimbus.proxmox.client.model.VersionInfo;
import dev.nimbus.proxmox.client.support.FakePve;
import dev.nimbus.proxmox.client.support.ReferenceMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every recorded response parses into the typed model: the module's own fixtures (one per reference
 * sample, same shapes, own values) and, when the reference folder exists beside the repository, the
 * recorded samples themselves. A file no parser claims fails the test.
 */
class SampleParsingTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static Stream<Arguments> responses() {
    List<Arguments> out = new ArrayList<>();
    for (Path p : FakePve.Fixtures.list(ReferenceMaterial.ownFixtures())) {
      out.add(Arguments.of("fixture " + p.getFileName(), p));
    }
    ReferenceMaterial.samples()
        .ifPresent(
            dir -> {
              for (Path p : FakePve.Fixtures.list(dir)) {
                out.add(Arguments.of("sample " + p.getFileName(), p));
              }
            });
    return out.stream();
  }

  @ParameterizedTest(name = "{0} parses into the typed model")
  @MethodSource("responses")
  void everyRecordedResponseParsesIntoTheTypedModel(String label, Path file) throws IOException {
    JsonNode root = JSON.readTree(Files.readString(file));
    String name = file.getFileName().toString();
    JsonNode data = root.path("data");
    check(name, root, data);
  }

  private static void check(String name, JsonNode root, JsonNode data) {
    if (name.startsWith("access_permissions")) {
      Permissions p = Permissions.from(data);
      assertThat(p.byPath()).isNotEmpty();
      assertThat(p.has("/vms/100", "VM.Audit")).isTrue();
    } else if (name.startsWith("access_ticket")) {
      assertThat(Lenient.text(data, "ticket")).startsWith("PVE:");
      assertThat(Lenient.text(data, "CSRFPreventionToken")).isNotBlank();
    } else if (name.endsWith("firewall_rules.json")) {
      each(
          data,
          Firewall.Rule::from,
          r -> {
            assertThat(r.pos()).isGreaterThanOrEqualTo(0);
            assertThat(r.type()).isIn("in", "out", "group", "forward");
            assertThat(r.digest()).isNotBlank();
          });
    } else if (name.startsWith("cluster_resources")) {
      each(
          data,
          ClusterResource::from,
          r -> {
            assertThat(r.id()).startsWith(r.type() + "/");
            if (r.isGuest()) {
              assertThat(r.vmid()).isPositive();
              assertThat(r.node()).isNotBlank();
            }
          });
    } else if (name.startsWith("cluster_status")) {
      List<ClusterStatusEntry> rows =
          each(data, ClusterStatusEntry::from, r -> assertThat(r.type()).isIn("cluster", "node"));
      assertThat(rows).anyMatch(ClusterStatusEntry::isCluster);
    } else if (name.startsWith("error_")) {
      String statusLine = root.path("_http_status_line").asString();
      int status = Integer.parseInt(statusLine.substring(0, 3));
      ProxmoxException e =
          ProxmoxErrors.fromResponse(
              "POST",
              "/cluster/sdn",
              status,
              statusLine.substring(4),
              root.path("body").toString(),
              s -> s);
      assertThat(e).isInstanceOf(ProxmoxException.ServerError.class);
      assertThat(e.getMessage()).startsWith("POST /cluster/sdn failed: 500");
    } else if (name.startsWith("lxc_config")) {
      GuestConfig c = GuestConfig.from(GuestType.LXC, data);
      assertThat(c.name()).isNotBlank();
      assertThat(c.rootfs().storage()).isNotBlank();
      assertThat(c.lxcKeys()).isNotEmpty().allMatch(k -> k.key().startsWith("lxc."));
      assertThat(c.nets().get("net0").bridge()).isNotBlank();
    } else if (name.startsWith("lxc_interfaces")) {
      each(
          data,
          GuestAgent::lxcInterface,
          i -> {
            assertThat(i.name()).isNotBlank();
            assertThat(i.mac()).isNotBlank();
            assertThat(i.addresses()).isNotEmpty();
          });
    } else if (name.startsWith("lxc_list") || name.startsWith("qemu_list")) {
      GuestType type = name.startsWith("lxc") ? GuestType.LXC : GuestType.QEMU;
      List<GuestSummary> guests =
          each(data, n -> GuestSummary.from(type, n), g -> assertThat(g.vmid()).isPositive());
      assertThat(guests).anyMatch(GuestSummary::template);
    } else if (name.startsWith("lxc_status") || name.startsWith("qemu_status")) {
      GuestType type = name.startsWith("lxc") ? GuestType.LXC : GuestType.QEMU;
      GuestStatus s = GuestStatus.from(type, data);
      assertThat(s.isRunning()).isTrue();
      assertThat(s.cpus()).isPositive();
      assertThat(s.maxmem()).isPositive();
    } else if (name.startsWith("node_network")) {
      List<NodeNetworkInterface> rows =
          each(
              data,
              NodeNetworkInterface::from,
              i -> {
                assertThat(i.iface()).isNotBlank();
                assertThat(i.type()).isNotBlank();
              });
      assertThat(rows).anyMatch(NodeNetworkInterface::isBridge);
    } else if (name.startsWith("node_status")) {
      NodeStatus s = NodeStatus.from(data);
      assertThat(s.version().major()).isGreaterThanOrEqualTo(7);
      assertThat(s.loadavg()).hasSize(3);
      assertThat(s.memoryTotal()).isPositive();
    } else if (name.startsWith("node_tasks")) {
      each(
          data,
          Task::from,
          t -> {
            assertThat(t.upid()).isNotNull();
            assertThat(t.upid().node()).isEqualTo(t.node());
            assertThat(t.upid().type()).isEqualTo(t.type());
          });
    } else if (name.startsWith("nodes")) {
      each(data, NodeSummary::from, n -> assertThat(n.sslFingerprint()).hasSize(95));
    } else if (name.startsWith("pools_by_poolid")) {
      each(
          data,
          Pool::from,
          p -> {
            assertThat(p.membersLoaded()).isTrue();
            assertThat(p.members()).isNotEmpty().allMatch(m -> m.id() != null && m.type() != null);
          });
    } else if (name.startsWith("qemu_agent_network")) {
      GuestAgent.Reply<List<GuestAgent.Interface>> reply =
          GuestAgent.Reply.from(data, GuestAgent.Interface::listFrom);
      if (name.contains("unsupported")) {
        assertThat(reply.isError()).isTrue();
        assertThat(reply.errorClass()).isNotBlank();
      } else {
        assertThat(reply.isError()).isFalse();
        assertThat(reply.value()).isNotEmpty().allMatch(i -> i.name() != null);
        assertThat(reply.value()).anyMatch(i -> !i.addresses().isEmpty());
      }
    } else if (name.startsWith("qemu_config")) {
      GuestConfig c = GuestConfig.from(GuestType.QEMU, data);
      assertThat(c.name()).isNotBlank();
      assertThat(c.digest()).isNotBlank();
      assertThat(c.memoryMiB()).isPositive();
      assertThat(c.nets()).isNotEmpty().allSatisfy((k, n) -> assertThat(n.macaddr()).isNotBlank());
      assertThat(c.disks()).isNotEmpty();
    } else if (name.startsWith("qemu_rrddata")) {
      each(
          data,
          RrdPoint::from,
          p -> {
            assertThat(p.time()).isPositive();
            assertThat(p.value("maxmem")).isPresent();
          });
    } else if (name.startsWith("sdn_vnet_subnets")) {
      each(
          data,
          Sdn.Subnet::from,
          s -> {
            assertThat(s.cidr()).contains("/");
            assertThat(s.dhcpRanges()).isNotEmpty();
          });
    } else if (name.startsWith("sdn_vnets")) {
      each(data, Sdn.Vnet::from, v -> assertThat(v.zone()).isNotBlank());
    } else if (name.startsWith("sdn_zones")) {
      each(data, Sdn.Zone::from, z -> assertThat(z.type()).isNotBlank());
    } else if (name.startsWith("storage_config")) {
      each(
          data,
          StorageConfig::from,
          s -> {
            assertThat(s.storage()).isNotBlank();
            assertThat(s.content()).isNotEmpty();
          });
    } else if (name.startsWith("version")) {
      VersionInfo v = VersionInfo.from(data);
      assertThat(v.parsed().major()).isGreaterThanOrEqualTo(7);
    } else {
      fail("no parser claims " + name + "; map it in SampleParsingTest");
    }
  }

  private static <T> List<T> each(
      JsonNode data, java.util.function.Function<JsonNode, T> parse, Consumer<T> check) {
    assertThat(data.isArray()).as("data is an array").isTrue();
    List<T> out = new ArrayList<>();
    for (JsonNode n : data) {
      T value = parse.apply(n);
      check.accept(value);
      out.add(value);
    }
    assertThat(out).isNotEmpty();
    return out;
  }
}
