package dev.nimbus.pvesim;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A single Proxmox VE node that was never joined to a cluster, as many home labs and small sites
 * run it: {@code /cluster/status} answers with the node's own row only (no {@code type: cluster}
 * row, {@code nodeid} 0), while the cluster-wide endpoints ({@code /cluster/resources}, tasks, log,
 * firewall) still answer for that one node. Local storage only, no SDN. Guests: VM 100 ({@code
 * app-01}, running, agent), VM 101 ({@code backup}, stopped), CT 200 ({@code pihole}, running);
 * pool {@code lab}.
 *
 * @param node the node's host name ({@code pve} on a default install)
 */
public record StandaloneNode(String node) implements ClusterLayout {

  public StandaloneNode {
    if (node == null || !node.matches("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?")) {
      throw new IllegalArgumentException("a node name is a host name, e.g. pve");
    }
  }

  /** The node {@code pve}, as a fresh installation names it. */
  public StandaloneNode() {
    this("pve");
  }

  @Override
  public void populate(Cluster cluster) {
    cluster.standalone = true;
    SplittableRandom random = new SplittableRandom(cluster.seed);
    GuestFactory f = new GuestFactory(cluster.version, random);
    cluster.addNode(
        GuestFactory.node(
            node, 0, random, false, List.of(FirewallRule.macro("in", "ACCEPT", "SSH", null))));
    cluster.storages.add(
        new Storage(
            "local",
            "dir",
            "backup,iso,vztmpl",
            false,
            null,
            100L << 30,
            Map.of("path", "/var/lib/vz")));
    cluster.storages.add(
        new Storage(
            "local-lvm",
            "lvmthin",
            "images,rootdir",
            false,
            null,
            400L << 30,
            Map.of("thinpool", "data", "vgname", "pve")));
    cluster.addPool("lab", "Home lab");
    long now = cluster.now();
    DemoCluster.add(
        cluster, f.qemu(100, node, "app-01", 1, true, "lab", "local-lvm"), true, "lab", now);
    DemoCluster.add(
        cluster, f.qemu(101, node, "backup", 1, false, null, "local-lvm"), false, null, now);
    DemoCluster.add(cluster, f.lxc(200, node, "pihole", "dns", "local-lvm"), true, "lab", now);
    cluster.firewall.options.put("enable", 0);
    cluster.logTask(node, "qmstart", "100", AccessControl.ROOT);
  }
}
