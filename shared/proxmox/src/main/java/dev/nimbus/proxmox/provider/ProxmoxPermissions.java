package dev.nimbus.proxmox.provider;

import dev.nimbus.model.Feature;
import dev.nimbus.model.PermissionRequirement;
import dev.nimbus.proxmox.client.model.Permissions;
import dev.nimbus.proxmox.client.model.ProxmoxVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * The privileges each Nimbus feature needs on Proxmox, after the API's permission checks. The
 * built-in role PVEAuditor on {@code /} covers discovery and usage; guest agent IPs need VM.Monitor
 * on PVE 7 and 8 (not in PVEAuditor) and VM.GuestAgent.Audit on PVE 9 (which is); fast change
 * detection needs Sys.Syslog on {@code /} (not in PVEAuditor) to read every user's cluster log
 * lines.
 */
final class ProxmoxPermissions {
  private ProxmoxPermissions() {}

  static List<PermissionRequirement> required(ProxmoxVersion version) {
    List<PermissionRequirement> out = new ArrayList<>();
    out.add(
        req(
            Feature.DISCOVERY,
            "/",
            "Sys.Audit",
            true,
            "cluster status, firewall, HA and node details"));
    out.add(
        req(Feature.DISCOVERY, "/vms", "VM.Audit", true, "VMs and containers and their configs"));
    out.add(req(Feature.DISCOVERY, "/storage", "Datastore.Audit", true, "storage"));
    out.add(req(Feature.DISCOVERY, "/pool", "Pool.Audit", true, "pools (compartments)"));
    out.add(req(Feature.DISCOVERY, "/sdn", "SDN.Audit", false, "SDN zones and vnets"));
    if (version == null || version.guestAgentAuditPriv()) {
      out.add(
          req(
              Feature.GUEST_AGENT,
              "/vms",
              "VM.GuestAgent.Audit",
              false,
              "IP addresses from the QEMU guest agent (PVE 9)"));
    }
    if (version == null || !version.guestAgentAuditPriv()) {
      out.add(
          req(
              Feature.GUEST_AGENT,
              "/vms",
              "VM.Monitor",
              false,
              "IP addresses from the QEMU guest agent (PVE 7 and 8)"));
    }
    out.add(
        req(
            Feature.FAST_CHANGE_DETECTION,
            "/",
            "Sys.Syslog",
            false,
            "config edits by anyone found within one run, with their author, from the cluster log"
                + " (without it: row changes, tasks and the sweep)"));
    out.add(req(Feature.USAGE, "/vms", "VM.Audit", true, "guest usage series (rrddata)"));
    out.add(req(Feature.USAGE, "/nodes", "Sys.Audit", true, "node usage series"));
    out.add(req(Feature.USAGE, "/storage", "Datastore.Audit", true, "storage usage series"));
    out.add(req(Feature.DEPLOYMENT, "/vms", "VM.Allocate", true, "create and delete guests"));
    out.add(req(Feature.DEPLOYMENT, "/vms", "VM.Config.Options", true, "change guest options"));
    out.add(req(Feature.DEPLOYMENT, "/storage", "Datastore.AllocateSpace", true, "create disks"));
    out.add(req(Feature.DEPLOYMENT, "/sdn", "SDN.Use", true, "attach NICs to bridges and vnets"));
    return out;
  }

  /** The requirements that {@code granted} does not satisfy. */
  static List<PermissionRequirement> missing(ProxmoxVersion version, Permissions granted) {
    return required(version).stream().filter(r -> !granted.has(r.path(), r.privilege())).toList();
  }

  private static PermissionRequirement req(
      Feature feature, String path, String privilege, boolean required, String reason) {
    return new PermissionRequirement(feature, path, privilege, required, reason);
  }
}
