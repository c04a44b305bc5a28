package dev.nimbus.pvesim;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A small mixed cluster for the local run and tests: 3 nodes (pve1..pve3, pve3 with an OVS bridge),
 * QEMU VMs and LXC containers, templates, nested pools (flat on 7.4), shared and local storage, SDN
 * zones/vnets/subnets, firewall at every level and HA resources. Well-known ids: VM 101 (web-01,
 * running, agent, HA, pool prod/web) on pve1; VM 103 (db-01, two NICs) on pve2; template 9000; CT
 * 200 (dns-01, running) on pve1; CT 201 (proxy, raw lxc keys, mount point) on pve3.
 */
public record DemoCluster() implements ClusterLayout {

  @Override
  public void populate(Cluster cluster) {
    SplittableRandom random = new SplittableRandom(cluster.seed);
    PveVersion v = cluster.version;
    GuestFactory f = new GuestFactory(v, random);
    List<FirewallRule> nodeRules =
        List.of(
            new FirewallRule(
                "in",
                "ACCEPT",
                null,
                "+dc/mgmt",
                null,
                "tcp",
                "8006",
                null,
                true,
                "Web UI from management"),
            FirewallRule.macro("in", "ACCEPT", "SSH", "+dc/mgmt"));
    for (int i = 0; i < 3; i++) {
      cluster.addNode(GuestFactory.node("pve" + (i + 1), i, random, i == 2, nodeRules));
    }
    storage(cluster);
    boolean nested = v.hasNestedPools();
    cluster.addPool("prod", "Production");
    String web = nested ? "prod/web" : "web";
    String db = nested ? "prod/db" : "db";
    cluster.addPool(web, "Web tier");
    cluster.addPool(db, "Databases");
    cluster.addPool("dev", "Development");
    cluster.pools.get("prod").storages.add("ceph-vm");

    long now = cluster.now();
    Guest template = f.qemu(9000, "pve1", "debian-12-template", 1, true, "template", "local-lvm");
    template.config.put("template", "1");
    template.config.put("ide2", "local-lvm:vm-9000-cloudinit,media=cdrom");
    add(cluster, template, false, null, now);

    Guest web1 = f.qemu(101, "pve1", "web-01", 1, true, "prod;web", "ceph-vm");
    web1.config.put("net0", "virtio=BC:24:11:2A:00:65,bridge=vmbr1,firewall=1,tag=20");
    web1.config.put("ipconfig0", "ip=10.20.0.101/24,gw=10.20.0.1");
    web1.config.put("description", "Public web server\nmanaged by nimbus");
    web1.haState = "started";
    web1.firewallRules =
        List.of(FirewallRule.group("web"), FirewallRule.in("ACCEPT", "tcp", "443", "HTTPS"));
    web1.firewallOptions =
        Map.of("enable", 1, "policy_in", "DROP", "policy_out", "ACCEPT", "macfilter", 1, "dhcp", 1);
    add(cluster, web1, true, web, now);

    Guest web2 = f.qemu(102, "pve2", "web-02", 1, true, "prod;web", "ceph-vm");
    web2.firewallRules = List.of(FirewallRule.group("web"));
    add(cluster, web2, true, web, now);

    Guest db1 = f.qemu(103, "pve2", "db-01", 2, true, "db;prod", "local-lvm");
    db1.config.put("scsi1", "local-lvm:vm-103-disk-1,iothread=1,size=200G");
    db1.firewallRules =
        List.of(
            new FirewallRule(
                "in",
                "ACCEPT",
                null,
                "+dc/appservers",
                null,
                "tcp",
                "5432",
                null,
                true,
                "PostgreSQL"));
    add(cluster, db1, true, db, now);

    Guest win = f.qemu(104, "pve3", "win-app", 1, false, "windows", "ceph-vm");
    win.config.put("ostype", "win11");
    win.config.put("bios", "ovmf");
    win.config.put("efidisk0", "ceph-vm:vm-104-disk-1,efitype=4m,pre-enrolled-keys=1,size=1M");
    add(cluster, win, false, "dev", now);

    Guest noAgent = f.qemu(105, "pve3", "build-01", 1, true, "ci", "local-lvm");
    add(cluster, noAgent, true, "dev", now);
    noAgent.agentRunning = false; // agent configured, but not running in the guest

    Guest dns = f.lxc(200, "pve1", "dns-01", "infra;prod", "local-lvm");
    dns.haState = "started";
    dns.firewallRules = List.of(FirewallRule.macro("in", "ACCEPT", "DNS", "10.0.0.0/8"));
    add(cluster, dns, true, "prod", now);

    Guest proxy = f.lxc(201, "pve3", "proxy", "infra", "local-lvm");
    proxy.config.put("mp0", "/mnt/data,mp=/data");
    proxy.config.put(
        "lxc",
        "lxc.cgroup2.devices.allow: c 226:0 rwm\nlxc.mount.entry: /dev/dri dev/dri none bind,optional,create=dir");
    proxy.config.put(
        "net1", "name=eth1,bridge=vmbr1,hwaddr=" + f.mac() + ",ip=dhcp,tag=30,type=veth");
    add(cluster, proxy, true, null, now);

    Guest ctTemplate = f.lxc(202, "pve2", "ct-template", null, "local-lvm");
    ctTemplate.config.put("template", "1");
    add(cluster, ctTemplate, false, null, now);

    sdn(cluster);
    firewall(cluster);
    cluster.logTask("pve1", "qmstart", "101", AccessControl.ROOT);
    cluster.logTask("pve1", "vzstart", "200", AccessControl.ROOT);
  }

  static void add(Cluster cluster, Guest g, boolean running, String pool, long now) {
    g.running = running;
    g.startedAt = now - 3600L * (1 + Math.floorMod(g.vmid() * 7, 200));
    g.agentRunning = running && g.agentEnabled();
    g.pool = pool;
    cluster.addGuest(g);
  }

  static void storage(Cluster cluster) {
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
            800L << 30,
            Map.of("thinpool", "data", "vgname", "pve")));
    cluster.storages.add(
        new Storage(
            "ceph-vm",
            "rbd",
            "images,rootdir",
            true,
            null,
            20L << 40,
            Map.of("pool", "vm", "krbd", "0")));
    cluster.storages.add(
        new Storage(
            "nfs-iso",
            "nfs",
            "iso,vztmpl",
            true,
            Set.of("pve1", "pve2"),
            4L << 40,
            Map.of("server", "10.0.0.5", "export", "/export/iso", "path", "/mnt/pve/nfs-iso")));
    cluster.storages.add(
        new Storage(
            "pbs-backup",
            "pbs",
            "backup",
            true,
            null,
            50L << 40,
            Map.of(
                "server",
                "10.0.0.6",
                "datastore",
                "store1",
                "username",
                "backup@pbs",
                "fingerprint",
                "94:fd:ac:e7:d5:36:0e:49:5b:6d:25:2f:3b:8e:4d:63:56:71:5b:3a:41:9d:38:f1:6a:0a:27:42:22:a6:09:d4")));
  }

  static void sdn(Cluster cluster) {
    cluster.zones.put(
        "simple1", new Sdn.Zone("simple1", "simple", Map.of("ipam", "pve", "dhcp", "dnsmasq")));
    cluster.zones.put(
        "vlanzone", new Sdn.Zone("vlanzone", "vlan", Map.of("bridge", "vmbr1", "ipam", "pve")));
    List<FirewallRule> vnetRules =
        cluster.version.hasVnetFirewall()
            ? List.of(
                new FirewallRule(
                    "forward",
                    "ACCEPT",
                    null,
                    "10.100.0.0/24",
                    null,
                    "tcp",
                    "80,443",
                    null,
                    true,
                    "web out"))
            : List.of();
    cluster.vnets.put(
        "vnet100", new Sdn.Vnet("vnet100", "simple1", null, false, "app network", vnetRules));
    cluster.vnets.put("vlan20", new Sdn.Vnet("vlan20", "vlanzone", 20, false, null, List.of()));
    cluster.subnets.add(
        new Sdn.Subnet(
            "vnet100",
            "10.100.0.0/24",
            "10.100.0.1",
            true,
            "10.100.0.100",
            "10.100.0.200",
            "simple1"));
    cluster.subnets.add(
        new Sdn.Subnet("vlan20", "10.20.0.0/24", "10.20.0.1", false, null, null, "vlanzone"));
  }

  static void firewall(Cluster cluster) {
    ClusterFirewall fw = cluster.firewall;
    fw.rules.add(FirewallRule.macro("in", "ACCEPT", "SSH", "+dc/mgmt"));
    fw.rules.add(FirewallRule.group("web"));
    fw.rules.add(
        new FirewallRule(
            "in", "DROP", null, "+dc/blocklist", null, null, null, null, true, "blocked hosts"));
    fw.groups.put(
        "web",
        new ClusterFirewall.Group(
            "web",
            "Web servers",
            List.of(
                FirewallRule.in("ACCEPT", "tcp", "80", "HTTP"),
                FirewallRule.in("ACCEPT", "tcp", "443", "HTTPS"))));
    fw.groups.put(
        "db",
        new ClusterFirewall.Group(
            "db", null, List.of(FirewallRule.in("ACCEPT", "tcp", "5432", null))));
    fw.aliases.add(new ClusterFirewall.Alias("mgmt", "10.0.0.0/24", "management LAN"));
    fw.aliases.add(new ClusterFirewall.Alias("monitoring", "10.0.5.10", null));
    fw.ipsets.put(
        "blocklist",
        new ClusterFirewall.IpSet(
            "blocklist",
            "known bad",
            List.of(
                new ClusterFirewall.IpSetEntry("203.0.113.0/24", "TEST-NET-3", false),
                new ClusterFirewall.IpSetEntry("198.51.100.7", null, false),
                new ClusterFirewall.IpSetEntry("203.0.113.5", "allowed exception", true))));
    fw.ipsets.put(
        "appservers",
        new ClusterFirewall.IpSet(
            "appservers",
            null,
            List.of(new ClusterFirewall.IpSetEntry("10.20.0.0/24", null, false))));
    fw.options.put("enable", 1);
    fw.options.put("policy_in", "DROP");
    fw.options.put("policy_out", "ACCEPT");
    fw.options.put("ebtables", 1);
    fw.options.put("log_ratelimit", "burst=5,enable=1,rate=1/second");
    if (cluster.version.atLeast(PveVersion.V8_4)) {
      fw.options.put("policy_forward", "ACCEPT");
    }
  }
}
