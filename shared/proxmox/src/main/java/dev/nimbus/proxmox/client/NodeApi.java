package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.ProxmoxClient.seg;

import dev.nimbus.proxmox.client.model.CertificateInfo;
import dev.nimbus.proxmox.client.model.Firewall;
import dev.nimbus.proxmox.client.model.GuestSummary;
import dev.nimbus.proxmox.client.model.GuestType;
import dev.nimbus.proxmox.client.model.NodeNetworkInterface;
import dev.nimbus.proxmox.client.model.NodeStatus;
import dev.nimbus.proxmox.client.model.RrdPoint;
import dev.nimbus.proxmox.client.model.StorageStatus;
import dev.nimbus.proxmox.client.model.Task;
import dev.nimbus.proxmox.client.model.TaskStatus;
import java.util.List;
import java.util.Map;

/**
 * Endpoints of one node, {@code /nodes/{node}/...}. These are proxied to that node by the node that
 * answers, so they fail with {@link ProxmoxException.NodeUnreachable} when it is offline.
 */
public final class NodeApi {
  private final ProxmoxClient client;
  private final String node;
  private final String base;

  NodeApi(ProxmoxClient client, String node) {
    this.client = client;
    this.node = node;
    this.base = "/nodes/" + seg(node);
  }

  public String name() {
    return node;
  }

  public NodeStatus status() {
    return NodeStatus.from(client.getObject(base + "/status", Map.of()));
  }

  /** {@code GET /nodes/{node}/network}: interfaces, bridges, bonds, VLANs. */
  public List<NodeNetworkInterface> network() {
    return client.getList(base + "/network", Map.of(), NodeNetworkInterface::from);
  }

  /** {@code GET /nodes/{node}/certificates/info}. */
  public List<CertificateInfo> certificates() {
    return client.getList(base + "/certificates/info", Map.of(), CertificateInfo::from);
  }

  /** {@code GET /nodes/{node}/storage}: every storage as this node sees it. */
  public List<StorageStatus> storage() {
    return client.getList(base + "/storage", Map.of(), StorageStatus::from);
  }

  /** {@code GET /nodes/{node}/storage/{storage}/status}. */
  public StorageStatus storageStatus(String storage) {
    return StorageStatus.from(
        client.getObject(base + "/storage/" + seg(storage) + "/status", Map.of()), storage);
  }

  /** {@code GET /nodes/{node}/tasks}: finished tasks of this node (default 50). */
  public List<Task> tasks() {
    return client.getList(base + "/tasks", Map.of(), Task::from);
  }

  /** {@code GET /nodes/{node}/tasks/{upid}/status}. */
  public TaskStatus taskStatus(String upid) {
    return TaskStatus.from(client.getObject(base + "/tasks/" + seg(upid) + "/status", Map.of()));
  }

  /** {@code GET /nodes/{node}/firewall/rules}. */
  public List<Firewall.Rule> firewallRules() {
    return client.getList(base + "/firewall/rules", Map.of(), Firewall.Rule::from);
  }

  /** {@code GET /nodes/{node}/rrddata}. */
  public List<RrdPoint> rrddata(RrdPoint.Timeframe timeframe, RrdPoint.Consolidation cf) {
    return client.getList(
        base + "/rrddata", Map.of("timeframe", timeframe.param(), "cf", cf.name()), RrdPoint::from);
  }

  /** {@code GET /nodes/{node}/qemu}. */
  public List<GuestSummary> qemus() {
    return client.getList(base + "/qemu", Map.of(), n -> GuestSummary.from(GuestType.QEMU, n));
  }

  /** {@code GET /nodes/{node}/lxc}. */
  public List<GuestSummary> lxcs() {
    return client.getList(base + "/lxc", Map.of(), n -> GuestSummary.from(GuestType.LXC, n));
  }

  public GuestApi qemu(int vmid) {
    return new GuestApi(client, base, GuestType.QEMU, vmid);
  }

  public GuestApi lxc(int vmid) {
    return new GuestApi(client, base, GuestType.LXC, vmid);
  }

  /** {@code qemu(vmid)} or {@code lxc(vmid)} by type. */
  public GuestApi guest(GuestType type, int vmid) {
    return new GuestApi(client, base, type, vmid);
  }
}
