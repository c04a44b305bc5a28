package dev.nimbus.proxmox.client;

import dev.nimbus.proxmox.client.model.Firewall;
import dev.nimbus.proxmox.client.model.GuestAgent;
import dev.nimbus.proxmox.client.model.GuestConfig;
import dev.nimbus.proxmox.client.model.GuestStatus;
import dev.nimbus.proxmox.client.model.GuestType;
import dev.nimbus.proxmox.client.model.PendingChange;
import dev.nimbus.proxmox.client.model.RrdPoint;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** Endpoints of one QEMU VM or LXC container, {@code /nodes/{node}/{qemu|lxc}/{vmid}/...}. */
public final class GuestApi {
  private final ProxmoxClient client;
  private final GuestType type;
  private final int vmid;
  private final String base;

  GuestApi(ProxmoxClient client, String nodeBase, GuestType type, int vmid) {
    if (vmid < 1) {
      throw new IllegalArgumentException("vmid must be positive");
    }
    this.client = client;
    this.type = type;
    this.vmid = vmid;
    this.base = nodeBase + "/" + type.segment() + "/" + vmid;
  }

  public GuestType type() {
    return type;
  }

  public int vmid() {
    return vmid;
  }

  /** The configuration with pending changes applied (Proxmox's default). */
  public GuestConfig config() {
    return GuestConfig.from(type, client.getObject(base + "/config", Map.of()));
  }

  /** The configuration the guest runs with now ({@code current=1}), without pending changes. */
  public GuestConfig currentConfig() {
    return GuestConfig.from(type, client.getObject(base + "/config", Map.of("current", "1")));
  }

  /** {@code GET .../pending}: every key with current and pending value. */
  public List<PendingChange> pending() {
    return client.getList(base + "/pending", Map.of(), PendingChange::from);
  }

  /** {@code GET .../status/current}. */
  public GuestStatus status() {
    return GuestStatus.from(type, client.getObject(base + "/status/current", Map.of()));
  }

  /** {@code GET .../rrddata?timeframe=&cf=}. */
  public List<RrdPoint> rrddata(RrdPoint.Timeframe timeframe, RrdPoint.Consolidation cf) {
    return client.getList(
        base + "/rrddata", Map.of("timeframe", timeframe.param(), "cf", cf.name()), RrdPoint::from);
  }

  /** {@code GET .../firewall/rules}. */
  public List<Firewall.Rule> firewallRules() {
    return client.getList(base + "/firewall/rules", Map.of(), Firewall.Rule::from);
  }

  /**
   * QEMU guest agent {@code network-get-interfaces}. Needs VM.Monitor on PVE 7/8 and
   * VM.GuestAgent.Audit on 9; a stopped agent is a 500 "not running" (not retried).
   */
  public GuestAgent.Reply<List<GuestAgent.Interface>> agentNetworkInterfaces() {
    requireQemu("agent");
    return agentList("network-get-interfaces", GuestAgent.Interface::listFrom);
  }

  /** QEMU guest agent {@code get-fsinfo}. */
  public GuestAgent.Reply<List<GuestAgent.FileSystem>> agentFsInfo() {
    requireQemu("agent");
    return agentList("get-fsinfo", GuestAgent.FileSystem::listFrom);
  }

  /** LXC {@code GET .../interfaces} (PVE 8.1+; the container must be running). */
  public List<GuestAgent.Interface> interfaces() {
    if (type != GuestType.LXC) {
      throw new UnsupportedOperationException("interfaces exist for LXC containers only");
    }
    return client.getList(base + "/interfaces", Map.of(), GuestAgent::lxcInterface);
  }

  /**
   * An agent command whose {@code result} is a list. An agent error ({@code result.error}) is a
   * reply, not a failure; any other result that is not a list is an invalid answer of the call.
   */
  private <T> GuestAgent.Reply<List<T>> agentList(
      String command, Function<JsonNode, List<T>> mapper) {
    String path = base + "/agent/" + command;
    return GuestAgent.Reply.from(
        client.getObject(path, Map.of()),
        result -> {
          if (!result.isArray()) {
            throw ProxmoxErrors.notAList("GET", path, "data.result", result);
          }
          for (int i = 0; i < result.size(); i++) {
            if (!result.get(i).isObject()) {
              throw ProxmoxErrors.badElement("GET", path, i, result.get(i));
            }
          }
          return mapper.apply(result);
        });
  }

  private void requireQemu(String what) {
    if (type != GuestType.QEMU) {
      throw new UnsupportedOperationException(what + " exists for QEMU VMs only");
    }
  }
}
