package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A large generated cluster: {@code nodes} nodes and {@code guests} guests (about 80% VMs, 20%
 * containers, some templates, most running), spread over pools (nested on 8.1+), with shared and
 * local storage, SDN and firewall. Same seed, same cluster.
 */
public record ScaleGenerator(int nodes, int guests) implements ClusterLayout {
  private static final String[] TAGS = {
    "prod", "dev", "web", "db", "cache", "batch", "k8s", "legacy"
  };

  public ScaleGenerator {
    if (nodes < 1 || guests < 0) {
      throw new IllegalArgumentException("need at least one node and no negative guest count");
    }
  }

  @Override
  public void populate(Cluster cluster) {
    SplittableRandom random = new SplittableRandom(cluster.seed);
    GuestFactory f = new GuestFactory(cluster.version, random);
    List<FirewallRule> nodeRules = List.of(FirewallRule.macro("in", "ACCEPT", "SSH", "+dc/mgmt"));
    for (int i = 0; i < nodes; i++) {
      cluster.addNode(GuestFactory.node("pve" + (i + 1), i, random, i % 4 == 3, nodeRules));
    }
    DemoCluster.storage(cluster);
    List<String> pools = new ArrayList<>();
    for (String top : List.of("prod", "staging", "dev", "infra")) {
      cluster.addPool(top, top + " workloads");
      pools.add(top);
      for (String sub : List.of("web", "db", "batch")) {
        String id = cluster.version.hasNestedPools() ? top + "/" + sub : top + "-" + sub;
        cluster.addPool(id, null);
        pools.add(id);
      }
    }
    // Shared lists keep 10,000 guests small: most guests have no own rules.
    List<FirewallRule> webRules =
        List.of(FirewallRule.group("web"), FirewallRule.in("ACCEPT", "tcp", "443", null));
    long now = cluster.now();
    for (int i = 0; i < guests; i++) {
      int vmid = 100 + i;
      String node = "pve" + (1 + random.nextInt(nodes));
      String tags =
          TAGS[random.nextInt(TAGS.length)]
              + (random.nextBoolean() ? ";" + TAGS[random.nextInt(TAGS.length)] : "");
      String storage = random.nextInt(3) == 0 ? "local-lvm" : "ceph-vm";
      Guest g;
      if (random.nextInt(5) == 0) {
        g = f.lxc(vmid, node, "ct-" + vmid, PropertyStrings.normaliseTags(tags), storage);
      } else {
        g =
            f.qemu(
                vmid,
                node,
                "vm-" + vmid,
                1 + (random.nextInt(6) == 0 ? 1 : 0),
                random.nextInt(4) != 0,
                PropertyStrings.normaliseTags(tags),
                storage);
      }
      boolean template = random.nextInt(40) == 0;
      if (template) {
        g.config.put("template", "1");
      }
      if (random.nextInt(10) == 0) {
        g.firewallRules = webRules;
      }
      if (!template && random.nextInt(25) == 0) {
        g.haState = "started";
      }
      String pool = random.nextInt(3) == 0 ? null : pools.get(random.nextInt(pools.size()));
      DemoCluster.add(cluster, g, !template && random.nextInt(10) < 7, pool, now);
    }
    DemoCluster.sdn(cluster);
    DemoCluster.firewall(cluster);
  }
}
