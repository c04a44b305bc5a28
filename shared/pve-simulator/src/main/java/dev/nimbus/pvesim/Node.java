package dev.nimbus.pvesim;

import java.util.List;
import java.util.Map;

/** A simulated cluster node: hardware, network interfaces, node firewall and online state. */
public final class Node {
  private final String name;
  private final int nodeid;
  private final String ip;
  final int cpus;
  final int sockets;
  final String cpuModel;
  final long memTotal;
  final long rootTotal;
  final List<Map<String, Object>> network;
  final List<FirewallRule> firewallRules;
  volatile boolean online = true;
  NodeCertificate certificate;

  Node(
      String name,
      int nodeid,
      String ip,
      int cpus,
      int sockets,
      String cpuModel,
      long memTotal,
      long rootTotal,
      List<Map<String, Object>> network,
      List<FirewallRule> firewallRules) {
    this.name = name;
    this.nodeid = nodeid;
    this.ip = ip;
    this.cpus = cpus;
    this.sockets = sockets;
    this.cpuModel = cpuModel;
    this.memTotal = memTotal;
    this.rootTotal = rootTotal;
    this.network = network;
    this.firewallRules = firewallRules;
  }

  public String name() {
    return name;
  }

  public int nodeid() {
    return nodeid;
  }

  public String ip() {
    return ip;
  }

  public boolean online() {
    return online;
  }

  /** Interface names of the node's bridges (Linux and OVS). */
  public List<String> bridges() {
    return network.stream()
        .filter(r -> "bridge".equals(r.get("type")) || "OVSBridge".equals(r.get("type")))
        .map(r -> (String) r.get("iface"))
        .toList();
  }

  @Override
  public String toString() {
    return "node/" + name;
  }
}
