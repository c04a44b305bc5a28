package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.ProxmoxClient.seg;

import dev.nimbus.proxmox.client.model.ClusterLogEntry;
import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.model.ClusterStatusEntry;
import dev.nimbus.proxmox.client.model.Firewall;
import dev.nimbus.proxmox.client.model.MetricSample;
import dev.nimbus.proxmox.client.model.Sdn;
import dev.nimbus.proxmox.client.model.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Cluster-wide endpoints: {@code /cluster/...}. */
public final class ClusterApi {
  private final ProxmoxClient client;

  ClusterApi(ProxmoxClient client) {
    this.client = client;
  }

  /** {@code GET /cluster/status}: the cluster row (quorum) and one row per node. */
  public List<ClusterStatusEntry> status() {
    return client.getList("/cluster/status", Map.of(), ClusterStatusEntry::from);
  }

  /**
   * {@code GET /cluster/resources}, unfiltered: the only form that returns {@code pool} rows and,
   * on PVE 9.1, {@code network} rows ({@code ?type=sdn} returns nothing for nodes that publish
   * network rows).
   */
  public List<ClusterResource> resources() {
    return client.getList("/cluster/resources", Map.of(), ClusterResource::from);
  }

  /** {@code GET /cluster/tasks}: recent tasks of all nodes. */
  public List<Task> tasks() {
    return client.getList("/cluster/tasks", Map.of(), Task::from);
  }

  /**
   * {@code GET /cluster/log?max=N}: the newest {@code max} lines of the cluster log. With {@code
   * Sys.Syslog} on {@code /} the caller sees every line, otherwise only the lines written by its
   * own user or token (PVE 9 documents this; earlier versions behave the same). Sort the answer by
   * {@link ClusterLogEntry#time()} and {@link ClusterLogEntry#uid()}; its order is not guaranteed.
   *
   * @param max how many lines at most, at least 1
   */
  public List<ClusterLogEntry> log(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    return client.getList(
        "/cluster/log", Map.of("max", Integer.toString(max)), ClusterLogEntry::from);
  }

  /**
   * {@code GET /cluster/metrics/export} (PVE 8.4+): buffered metrics of all nodes and guests. Empty
   * when the server does not have the endpoint.
   *
   * @param history include the buffered history rather than only current values
   * @param startTime only samples from this epoch second on, or null
   */
  public Optional<List<MetricSample>> metricsExport(boolean history, Long startTime) {
    Map<String, String> query = new LinkedHashMap<>();
    if (history) {
      query.put("history", "1");
    }
    if (startTime != null) {
      query.put("start-time", startTime.toString());
    }
    try {
      JsonNode data = client.getObject("/cluster/metrics/export", query);
      return Optional.of(
          ProxmoxClient.list(
              "GET", "/cluster/metrics/export", data.path("data"), MetricSample::from));
    } catch (ProxmoxException.NotImplemented | ProxmoxException.NotFound e) {
      return Optional.empty();
    }
  }

  /** The cluster firewall. */
  public FirewallApi firewall() {
    return new FirewallApi(client);
  }

  /** Software-defined networking. */
  public SdnApi sdn() {
    return new SdnApi(client);
  }

  /** {@code /cluster/firewall/...}. */
  public static final class FirewallApi {
    private final ProxmoxClient client;

    FirewallApi(ProxmoxClient client) {
      this.client = client;
    }

    public List<Firewall.Rule> rules() {
      return client.getList("/cluster/firewall/rules", Map.of(), Firewall.Rule::from);
    }

    public List<Firewall.Group> groups() {
      return client.getList("/cluster/firewall/groups", Map.of(), Firewall.Group::from);
    }

    /** The rules of one security group. */
    public List<Firewall.Rule> groupRules(String group) {
      return client.getList(
          "/cluster/firewall/groups/" + seg(group), Map.of(), Firewall.Rule::from);
    }

    public List<Firewall.Alias> aliases() {
      return client.getList("/cluster/firewall/aliases", Map.of(), Firewall.Alias::from);
    }

    public List<Firewall.IpSet> ipsets() {
      return client.getList("/cluster/firewall/ipset", Map.of(), Firewall.IpSet::from);
    }

    /** The entries of one IP set. */
    public List<Firewall.IpSetEntry> ipset(String name) {
      return client.getList(
          "/cluster/firewall/ipset/" + seg(name), Map.of(), Firewall.IpSetEntry::from);
    }

    public Firewall.Options options() {
      return Firewall.Options.from(client.getObject("/cluster/firewall/options", Map.of()));
    }
  }

  /** {@code /cluster/sdn/...}. */
  public static final class SdnApi {
    private final ProxmoxClient client;

    SdnApi(ProxmoxClient client) {
      this.client = client;
    }

    public List<Sdn.Zone> zones() {
      return client.getList("/cluster/sdn/zones", Map.of(), Sdn.Zone::from);
    }

    public List<Sdn.Vnet> vnets() {
      return client.getList("/cluster/sdn/vnets", Map.of(), Sdn.Vnet::from);
    }

    public List<Sdn.Subnet> subnets(String vnet) {
      return client.getList(
          "/cluster/sdn/vnets/" + seg(vnet) + "/subnets", Map.of(), Sdn.Subnet::from);
    }

    /** VNet firewall rules (PVE 8.4+, nftables {@code forward} rules). */
    public List<Firewall.Rule> vnetFirewallRules(String vnet) {
      return client.getList(
          "/cluster/sdn/vnets/" + seg(vnet) + "/firewall/rules", Map.of(), Firewall.Rule::from);
    }
  }
}
