package dev.nimbus.proxmox.provider;

import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.model.Firewall;
import dev.nimbus.proxmox.client.model.NodeNetworkInterface;
import dev.nimbus.proxmox.client.model.NodeStatus;
import dev.nimbus.proxmox.client.model.Sdn;
import dev.nimbus.proxmox.client.model.VersionInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fetch half of a discovery run: the calls of one run, each wrapped so that its failure is
 * booked (as a failed part, or a node's scope made unreachable) and answered with null, which the
 * assembly then answers by keeping what that call would have supplied. A rejected token (401) is
 * not booked: it ends the run.
 */
final class ClusterReads {
  private final ProxmoxClient client;
  private final ScopeBook book;
  private final Set<String> denied = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * True when {@code part} failed for a missing privilege: a lasting condition, unlike an error or
   * a malformed answer, so it does not make the next run re-read every guest.
   */
  boolean denied(String part) {
    return denied.contains(part);
  }

  ClusterReads(ProxmoxClient client, ScopeBook book) {
    this.client = client;
    this.book = book;
  }

  Boolean syslogPermission() {
    try {
      return client.access().permissions().has("/", "Sys.Syslog");
    } catch (ProxmoxException.AuthenticationFailed e) {
      throw e;
    } catch (RuntimeException e) {
      // Unknown this run; checked again next run. Not a problem of the inventory.
      return null;
    }
  }

  NodeData node(String node) {
    String scope = ProxmoxKeys.nodeScope(node);
    var api = client.node(node);
    List<NodeNetworkInterface> network =
        call(scope + "/network", "network of node " + node, api::network);
    List<Firewall.Rule> rules =
        call(scope + "/firewall", "firewall rules of node " + node, api::firewallRules);
    NodeStatus status = call(scope + "/status", "status of node " + node, api::status);
    if (status != null && status.pveversion() == null && status.kversion() == null) {
      // A node always reports its versions; an answer without them is not a node status.
      book.failedPart(
          scope + "/status",
          DiscoveryProblem.Kind.MALFORMED_RESOURCE,
          "status of node " + node + " has no pveversion or kversion");
      status = null;
    }
    if (book.isUnreachable(scope)) {
      return null;
    }
    return new NodeData(network, rules, status);
  }

  SdnData sdn(VersionInfo version) {
    String scope = ProxmoxKeys.SCOPE_SDN;
    List<Sdn.Zone> zones =
        callOptional(scope + "/zones", "SDN zones", () -> client.cluster().sdn().zones());
    List<Sdn.Vnet> vnets =
        callOptional(scope + "/vnets", "SDN vnets", () -> client.cluster().sdn().vnets());
    Map<String, List<Sdn.Subnet>> subnets = new TreeMap<>();
    Map<String, List<Firewall.Rule>> rules = new TreeMap<>();
    Set<String> failedRules = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    if (vnets != null) {
      for (Sdn.Vnet v : vnets) {
        names.add(v.vnet());
        List<Sdn.Subnet> s =
            call(
                scope + "/vnet/" + v.vnet() + "/subnets",
                "subnets of vnet " + v.vnet(),
                () -> client.cluster().sdn().subnets(v.vnet()));
        if (s != null) {
          subnets.put(v.vnet(), s);
        }
        if (version.parsed().vnetFirewall()) {
          List<Firewall.Rule> r =
              callOptional(
                  scope + "/vnet/" + v.vnet() + "/firewall",
                  "firewall rules of vnet " + v.vnet(),
                  () -> client.cluster().sdn().vnetFirewallRules(v.vnet()));
          if (r == null) {
            failedRules.add(v.vnet());
          } else {
            rules.put(v.vnet(), r);
          }
        }
      }
    }
    return new SdnData(zones, vnets, subnets, rules, failedRules, names);
  }

  FirewallData clusterFirewall() {
    String scope = ProxmoxKeys.SCOPE_FIREWALL;
    var api = client.cluster().firewall();
    Firewall.Options options = call(scope + "/options", "cluster firewall options", api::options);
    if (options != null && (options.raw() == null || !options.raw().hasNonNull("digest"))) {
      // Proxmox answers the options with the file's digest even when none is set.
      book.failedPart(
          scope + "/options",
          DiscoveryProblem.Kind.MALFORMED_RESOURCE,
          "cluster firewall options answer has no digest");
      options = null;
    }
    List<Firewall.Rule> rules = call(scope + "/rules", "cluster firewall rules", api::rules);
    List<Firewall.Group> groups = call(scope + "/groups", "security groups", api::groups);
    List<Firewall.Alias> aliases = call(scope + "/aliases", "firewall aliases", api::aliases);
    List<Firewall.IpSet> ipsets = call(scope + "/ipsets", "IP sets", api::ipsets);
    Map<Firewall.Group, List<Firewall.Rule>> groupRules = null;
    if (groups != null) {
      groupRules = new LinkedHashMap<>();
      for (Firewall.Group g : groups) {
        groupRules.put(
            g,
            call(
                scope + "/group/" + g.group(),
                "rules of security group " + g.group(),
                () -> api.groupRules(g.group())));
      }
    }
    Map<String, List<Firewall.IpSetEntry>> entries = null;
    Set<String> failedIpsets = new TreeSet<>();
    if (ipsets != null) {
      entries = new TreeMap<>();
      for (Firewall.IpSet s : ipsets) {
        List<Firewall.IpSetEntry> e =
            call(
                scope + "/ipset/" + s.name(),
                "entries of IP set " + s.name(),
                () -> api.ipset(s.name()));
        if (e == null) {
          failedIpsets.add(s.name());
        } else {
          entries.put(s.name(), e);
        }
      }
    }
    return new FirewallData(options, rules, groupRules, aliases, entries, failedIpsets);
  }

  /**
   * Calls an endpoint that supplies {@code part} (named in the run record when it fails). A node
   * that does not answer (595/596) makes its node's scope unreachable; any other failure, an error
   * status or a malformed answer alike, is reported and returns null, which the caller answers by
   * keeping what that call would have supplied. A rejected token ends the run.
   */
  <T> T call(String part, String what, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (ProxmoxException.AuthenticationFailed e) {
      throw e;
    } catch (ProxmoxException.NodeUnreachable e) {
      String nodeScope = nodeScopeOf(part);
      if (nodeScope != null) {
        book.unreachable(nodeScope, what + ": " + e.getMessage());
      } else {
        book.failedPart(
            part, DiscoveryProblem.Kind.SCOPE_UNREACHABLE, what + ": " + e.getMessage());
      }
    } catch (ProxmoxException.PermissionDenied e) {
      denied.add(part);
      book.failedPart(
          part, DiscoveryProblem.Kind.MISSING_PERMISSION, what + ": " + permissionMessage(e));
    } catch (ProxmoxException e) {
      book.failedPart(part, DiscoveryProblem.Kind.CALL_FAILED, what + ": " + e.getMessage());
    } catch (RuntimeException e) {
      book.failedPart(
          part,
          DiscoveryProblem.Kind.MALFORMED_RESOURCE,
          what + " could not be parsed: " + e.getMessage());
    }
    return null;
  }

  /** Like {@link #call}, but an endpoint the server does not have (501, 404) means "none". */
  private <T> List<T> callOptional(
      String part, String what, java.util.function.Supplier<List<T>> call) {
    try {
      return call.get();
    } catch (ProxmoxException.NotImplemented | ProxmoxException.NotFound e) {
      return List.of();
    } catch (RuntimeException e) {
      return call(
          part,
          what,
          () -> {
            throw e;
          });
    }
  }

  /** {@code node/pve1} for a part {@code node/pve1/network}; null for cluster-wide parts. */
  private static String nodeScopeOf(String part) {
    if (part == null || !part.startsWith("node/")) {
      return null;
    }
    int slash = part.indexOf('/', "node/".length());
    return slash < 0 ? part : part.substring(0, slash);
  }

  static String permissionMessage(ProxmoxException.PermissionDenied e) {
    return "missing privilege "
        + e.privilege()
        + " on "
        + e.aclPath()
        + " ("
        + e.method()
        + " "
        + e.path()
        + ")";
  }

  /** What one node's calls gave; a null part is a call that failed. */
  record NodeData(
      List<NodeNetworkInterface> network, List<Firewall.Rule> firewallRules, NodeStatus status) {}

  /** The SDN calls' answers; a null list or a missing map entry is a call that failed. */
  record SdnData(
      List<Sdn.Zone> zones,
      List<Sdn.Vnet> vnets,
      Map<String, List<Sdn.Subnet>> subnets,
      Map<String, List<Firewall.Rule>> vnetRules,
      Set<String> failedVnetRules,
      Set<String> vnetNames) {}

  /** The cluster firewall calls' answers; a null part is a call that failed. */
  record FirewallData(
      Firewall.Options options,
      List<Firewall.Rule> rules,
      Map<Firewall.Group, List<Firewall.Rule>> groups,
      List<Firewall.Alias> aliases,
      Map<String, List<Firewall.IpSetEntry>> ipsets,
      Set<String> failedIpsets) {}
}
