package dev.nimbus.infra.programs;

import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestResult;
import dev.nimbus.infra.resources.ProxmoxProvider;
import dev.nimbus.model.Secret;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Runs a plan under Pulumi's mocks with an explicit provider, as the runner does. */
final class ProgramTestSupport {
  static final String TOKEN_SECRET = "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6";

  private ProgramTestSupport() {}

  static TestResult run(RecordingMocks mocks, DeploymentProgram.Plan plan) {
    try {
      return PulumiTest.withMocks(mocks)
          .runTest(
              ctx -> {
                var provider =
                    new ProxmoxProvider(
                        "proxmox",
                        new ProxmoxProvider.Args(
                            "https://127.0.0.1:18006/",
                            "nimbus@pve!deploy",
                            Secret.of(TOKEN_SECRET)));
                plan.define(ctx, provider);
              });
    } finally {
      PulumiTest.cleanup();
    }
  }

  /** The demo inventory: two nodes, storages, a QEMU template 9000, a VM 101, SDN zone z1. */
  static Inventory inventory() {
    var guests = new TreeMap<Integer, Inventory.Guest>();
    guests.put(9000, new Inventory.Guest(9000, "qemu", "pve2", "debian-12-tmpl", true));
    guests.put(101, new Inventory.Guest(101, "qemu", "pve1", "web-01", false));
    guests.put(200, new Inventory.Guest(200, "lxc", "pve1", "dns-01", false));
    return new Inventory(
        Set.of("pve1", "pve2"),
        Map.of(
            "local-lvm",
                new Inventory.Storage(
                    "local-lvm", false, Set.of("pve1", "pve2"), Set.of("images", "rootdir")),
            "local",
                new Inventory.Storage(
                    "local", false, Set.of("pve1", "pve2"), Set.of("iso", "vztmpl", "backup")),
            "ceph-vm",
                new Inventory.Storage("ceph-vm", true, Set.of(), Set.of("images", "rootdir")),
            "backups", new Inventory.Storage("backups", true, Set.of(), Set.of("backup"))),
        guests,
        Set.of("z1"),
        Set.of("v100"),
        Set.of("prod", "prod/web"),
        Set.of("web"),
        Map.of("pve1", Set.of("vmbr0", "vmbr1"), "pve2", Set.of("vmbr0")),
        Set.of());
  }
}
