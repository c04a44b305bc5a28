package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The test API: changes state as an administrator in the Proxmox UI would, so drift and
 * change-driven discovery can be tested. Every change leaves the traces the API leaves, and only
 * those: a new digest, a task with the acting user where Proxmox runs one, a cluster log line where
 * Proxmox writes one.
 */
public final class Admin {
  private final Cluster cluster;

  Admin(Cluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Sets one config key through the asynchronous API ({@code POST .../config}, validated like the
   * API): for a QEMU VM a {@code qmconfig} task and a cluster log line {@code update VM ...}; LXC
   * has no asynchronous config API, so a container change leaves neither (as {@link
   * #editGuestConfig}). On a running VM a key it cannot take live becomes pending.
   *
   * @return the {@code qmconfig} task, or null for a container
   */
  public Task changeGuestConfig(int vmid, String key, String value, String user) {
    return changeGuestConfig(vmid, Map.of(key, value), List.of(), user);
  }

  /**
   * Sets and deletes config keys at once, as {@link #changeGuestConfig(int, String, String,
   * String)}.
   */
  public Task changeGuestConfig(
      int vmid, Map<String, String> set, List<String> delete, String user) {
    return cluster
        .updateConfig(
            vmid, set, delete, List.of(), null, user, true, Cluster.ConfigCall.ASYNC, null)
        .task();
  }

  /**
   * Sets one config key the way the web UI's edit windows and {@code qm set} / {@code pct set} do,
   * through the synchronous {@code PUT .../config}: no task at all. A QEMU change writes only the
   * cluster log line {@code update VM <vmid>: -<key> <value>} with the user; a container change
   * leaves no trace but the new config (and, for name, memory or cores, its resources row).
   *
   * @return the cluster log line, or null for a container
   */
  public ClusterLogLine editGuestConfig(int vmid, String key, String value, String user) {
    return editGuestConfig(vmid, Map.of(key, value), List.of(), user);
  }

  /**
   * Sets and deletes config keys at once, as {@link #editGuestConfig(int, String, String, String)}.
   */
  public ClusterLogLine editGuestConfig(
      int vmid, Map<String, String> set, List<String> delete, String user) {
    return cluster
        .updateConfig(vmid, set, delete, List.of(), null, user, true, Cluster.ConfigCall.SYNC, null)
        .logLine();
  }

  /**
   * Writes a value without any validation and without any trace (as if the config file was edited
   * by hand), e.g. {@code memory: abc} or an unparsable {@code net0}, for malformed-response tests.
   */
  public void corruptGuestConfig(int vmid, String key, String value) {
    cluster.updateConfig(
        vmid,
        Map.of(key, value),
        List.of(),
        List.of(),
        null,
        AccessControl.ROOT,
        false,
        Cluster.ConfigCall.UNLOGGED,
        null);
  }

  /** Creates a VM with a generated, realistic config. */
  public Task createVm(String node, int vmid, String name, String user) {
    Guest g =
        new GuestFactory(cluster.version, new SplittableRandom(cluster.seed ^ vmid))
            .qemu(vmid, node, name, 1, true, null, "local-lvm");
    return cluster.createGuest(
        GuestType.QEMU, node, vmid, new LinkedHashMap<>(g.config), null, user);
  }

  /** Creates a container with a generated, realistic config. */
  public Task createContainer(String node, int vmid, String hostname, String user) {
    Guest g =
        new GuestFactory(cluster.version, new SplittableRandom(cluster.seed ^ vmid))
            .lxc(vmid, node, hostname, null, "local-lvm");
    return cluster.createGuest(
        GuestType.LXC, node, vmid, new LinkedHashMap<>(g.config), null, user);
  }

  /** Creates a guest with exactly the given config. */
  public Task createGuest(
      GuestType type, String node, int vmid, Map<String, String> config, String user) {
    return cluster.createGuest(type, node, vmid, config, null, user);
  }

  /** Deletes a guest; a running guest is stopped first, as an admin would. */
  public Task deleteGuest(int vmid, String user) {
    if (cluster.guest(vmid).running()) {
      cluster.startStop(vmid, false, user);
    }
    return cluster.deleteGuest(vmid, user);
  }

  public Task migrateGuest(int vmid, String targetNode, String user) {
    return cluster.migrate(vmid, targetNode, true, user);
  }

  /** Starts or stops a guest; a start applies the VM's pending changes. */
  public Task startStop(int vmid, boolean running, String user) {
    return cluster.startStop(vmid, running, user);
  }

  /** Reboots a running guest ({@code qmreboot}/{@code vzreboot}), applying pending changes. */
  public Task reboot(int vmid, String user) {
    return cluster.reboot(vmid, user);
  }

  /** Takes a node offline (its proxied calls answer 595/596) or back online. */
  public void setNodeOnline(String node, boolean online) {
    cluster.write(
        () -> {
          cluster.node(node).online = online;
          return null;
        });
  }

  /** Sets or clears (null) the HA state of a guest, e.g. {@code started}. */
  public void setHaState(int vmid, String state) {
    cluster.write(
        () -> {
          cluster.requireGuest(vmid).haState = state;
          return null;
        });
  }

  /** Marks the guest agent of a running VM as running or not. */
  public void setAgentRunning(int vmid, boolean running) {
    cluster.write(
        () -> {
          cluster.requireGuest(vmid).agentRunning = running;
          return null;
        });
  }

  public void createPool(String poolid, String comment) {
    cluster.write(() -> cluster.addPool(poolid, comment));
  }

  public void setPoolComment(String poolid, String comment) {
    cluster.write(
        () -> {
          cluster.pools.get(poolid).comment = comment;
          return null;
        });
  }

  /** Adds a guest to a pool, moving it out of its previous pool. */
  public void addPoolMember(String poolid, int vmid) {
    cluster.write(
        () -> {
          cluster.setPoolMembers(poolid, List.of(vmid), List.of(), false, true);
          return null;
        });
  }

  public void removePoolMember(String poolid, int vmid) {
    cluster.write(
        () -> {
          cluster.setPoolMembers(poolid, List.of(vmid), List.of(), true, false);
          return null;
        });
  }

  /**
   * Renames a pool the only way Proxmox allows: create the new pool, move the members, delete the
   * old one.
   */
  public void renamePool(String oldId, String newId) {
    cluster.write(
        () -> {
          Pool old = cluster.pools.get(oldId);
          if (old == null) {
            throw new IllegalArgumentException("No pool " + oldId);
          }
          Pool renamed = cluster.addPool(newId, old.comment);
          List<Integer> members = new ArrayList<>(old.vmids);
          for (int vmid : members) {
            cluster.guests.get(vmid).pool = newId;
            renamed.vmids.add(vmid);
          }
          renamed.storages.addAll(old.storages);
          cluster.pools.remove(oldId);
          return null;
        });
  }

  /** Adds a user (password may be null for token-only users). */
  public void addUser(String userid, String password) {
    cluster.access.addUser(userid, password);
  }

  /**
   * Creates a custom role, e.g. {@code createRole("NimbusDiscovery", "Sys.Audit", "VM.Audit",
   * "Sys.Syslog")}, to grant with {@link #grant}.
   */
  public void createRole(String roleid, String... privileges) {
    cluster.access.addRole(roleid, java.util.Set.of(privileges));
  }

  /** Adds an ACL entry (user or token subject). */
  public void grant(Acl acl) {
    cluster.access.addAcl(acl);
  }
}
