package dev.nimbus.pvesim;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Built-in Proxmox VE roles and their privileges, per version (PVE 9 dropped {@code VM.Monitor} and
 * added the {@code VM.GuestAgent.*} privileges).
 */
public final class Roles {
  public static final String NO_ACCESS = "NoAccess";
  public static final String PVE_AUDITOR = "PVEAuditor";
  public static final String PVE_VM_USER = "PVEVMUser";
  public static final String PVE_VM_ADMIN = "PVEVMAdmin";
  public static final String PVE_ADMIN = "PVEAdmin";
  public static final String ADMINISTRATOR = "Administrator";

  // Privileges only Administrator holds ("root" group in pve-access-control).
  private static final List<String> ROOT_ONLY =
      List.of("Sys.PowerMgmt", "Sys.Modify", "Realm.Allocate", "Permissions.Modify");
  private static final List<String> OTHER_ADMIN =
      List.of(
          "Sys.Audit",
          "Sys.Console",
          "Sys.Syslog",
          "Sys.Incoming",
          "Datastore.Allocate",
          "Datastore.AllocateSpace",
          "Datastore.AllocateTemplate",
          "Datastore.Audit",
          "Pool.Allocate",
          "Pool.Audit",
          "SDN.Allocate",
          "SDN.Audit",
          "SDN.Use",
          "Mapping.Audit",
          "Mapping.Modify",
          "Mapping.Use",
          "User.Modify",
          "Group.Allocate",
          "Realm.AllocateUser");

  private Roles() {}

  /** Every VM privilege the version knows. */
  static List<String> vmPrivileges(PveVersion version) {
    List<String> base =
        new java.util.ArrayList<>(
            List.of(
                "VM.Allocate",
                "VM.Audit",
                "VM.Backup",
                "VM.Clone",
                "VM.Config.CDROM",
                "VM.Config.CPU",
                "VM.Config.Cloudinit",
                "VM.Config.Disk",
                "VM.Config.HWType",
                "VM.Config.Memory",
                "VM.Config.Network",
                "VM.Config.Options",
                "VM.Console",
                "VM.Migrate",
                "VM.PowerMgmt",
                "VM.Snapshot",
                "VM.Snapshot.Rollback"));
    if (version.hasGuestAgentPrivileges()) {
      base.addAll(
          List.of(
              "VM.GuestAgent.Audit",
              "VM.GuestAgent.FileRead",
              "VM.GuestAgent.FileSystemMgmt",
              "VM.GuestAgent.FileWrite",
              "VM.GuestAgent.Unrestricted"));
    } else {
      base.add("VM.Monitor");
    }
    return base;
  }

  /** Role name to privileges for the given version. */
  static Map<String, Set<String>> builtIn(PveVersion version) {
    Map<String, Set<String>> roles = new TreeMap<>();
    List<String> vm = vmPrivileges(version);
    Set<String> all = new TreeSet<>(vm);
    all.addAll(OTHER_ADMIN);
    all.addAll(ROOT_ONLY);
    roles.put(ADMINISTRATOR, Set.copyOf(all));
    Set<String> admin = new TreeSet<>(all);
    ROOT_ONLY.forEach(admin::remove);
    roles.put(PVE_ADMIN, Set.copyOf(admin));
    Set<String> auditor =
        new LinkedHashSet<>(
            List.of(
                "Datastore.Audit",
                "Mapping.Audit",
                "Pool.Audit",
                "SDN.Audit",
                "Sys.Audit",
                "VM.Audit"));
    if (version.hasGuestAgentPrivileges()) {
      auditor.add("VM.GuestAgent.Audit");
    }
    roles.put(PVE_AUDITOR, Set.copyOf(auditor));
    Set<String> vmAdmin = new TreeSet<>(vm);
    vmAdmin.addAll(List.of("Datastore.AllocateSpace", "Pool.Audit", "SDN.Use", "Mapping.Use"));
    roles.put(PVE_VM_ADMIN, Set.copyOf(vmAdmin));
    Set<String> vmUser =
        new TreeSet<>(
            List.of(
                "VM.Audit",
                "VM.Backup",
                "VM.Config.CDROM",
                "VM.Config.Cloudinit",
                "VM.Console",
                "VM.PowerMgmt",
                "Pool.Audit",
                "Datastore.AllocateSpace",
                "SDN.Use"));
    roles.put(PVE_VM_USER, Set.copyOf(vmUser));
    roles.put(NO_ACCESS, Set.of());
    if (version == PveVersion.V7_4) {
      // Resource mappings (and their Mapping.* privileges) came with PVE 8.0.
      roles.replaceAll(
          (name, privs) ->
              Set.copyOf(privs.stream().filter(p -> !p.startsWith("Mapping.")).toList()));
    }
    return roles;
  }
}
