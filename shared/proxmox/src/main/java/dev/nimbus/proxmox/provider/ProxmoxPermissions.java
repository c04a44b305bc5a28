package dev.nimbus.proxmox.provider;

import dev.nimbus.model.Feature;
import dev.nimbus.model.PermissionRequirement;
import dev.nimbus.proxmox.client.model.Permissions;
import dev.nimbus.proxmox.client.model.ProxmoxVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The privileges each Nimbus feature needs on Proxmox, after the API's permission checks. The
 * built-in role PVEAuditor on {@code /} covers discovery and usage; guest agent IPs need VM.Monitor
 * on PVE 7 and 8 (not in PVEAuditor) and VM.GuestAgent.Audit on PVE 9 (which is); fast change
 * detection needs Sys.Syslog on {@code /} (not in PVEAuditor) to read every user's cluster log
 * lines.
 *
 * <p>The one source of these privileges: the provider's permission check, the wizard's checklist
 * and the role it mints, and the deployment programs (infra/, issue 15), which need per program
 * what {@link #DEPLOY_BY_PROGRAM} lists (the bpg/proxmox provider's calls).
 */
public final class ProxmoxPermissions {
  private ProxmoxPermissions() {}

  /** Every feature's requirements on {@code version} (null: the newest). */
  public static List<PermissionRequirement> required(ProxmoxVersion version) {
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
    // Deployment: what every program needs, once per (path, privilege), from the per-program map.
    Set<String> seen = new LinkedHashSet<>();
    for (String program : DEPLOY_BY_PROGRAM.keySet()) {
      for (PermissionRequirement r : deploy(program, version)) {
        if (seen.add(r.path() + " " + r.privilege())) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** The requirements of {@code feature} on {@code version} (null: the newest). */
  public static List<PermissionRequirement> required(Feature feature, ProxmoxVersion version) {
    return required(version).stream().filter(r -> r.feature() == feature).toList();
  }

  /** The requirements that {@code granted} does not satisfy. */
  public static List<PermissionRequirement> missing(ProxmoxVersion version, Permissions granted) {
    return required(version).stream().filter(r -> !granted.has(r.path(), r.privilege())).toList();
  }

  private static PermissionRequirement req(
      Feature feature, String path, String privilege, boolean required, String reason) {
    return new PermissionRequirement(feature, path, privilege, required, reason);
  }

  /** The role the provider's documentation asks for ("TerraformProv"), in its order. */
  public static final List<String> PROVIDER_DOCUMENTED =
      List.of(
          "Datastore.Allocate",
          "Datastore.AllocateSpace",
          "Datastore.AllocateTemplate",
          "Datastore.Audit",
          "Pool.Allocate",
          "Sys.Audit",
          "Sys.Console",
          "Sys.Modify",
          "SDN.Use",
          "VM.Allocate",
          "VM.Audit",
          "VM.Clone",
          "VM.Config.CDROM",
          "VM.Config.Cloudinit",
          "VM.Config.CPU",
          "VM.Config.Disk",
          "VM.Config.HWType",
          "VM.Config.Memory",
          "VM.Config.Network",
          "VM.Config.Options",
          "VM.Migrate",
          "VM.Monitor",
          "VM.PowerMgmt",
          "User.Modify");

  /** Per program name: what its deployments need. */
  public static final Map<String, List<PermissionRequirement>> DEPLOY_BY_PROGRAM =
      orderedPrograms(
          "vm", vm(),
          "container", container(),
          "pool", pool(),
          "security-group", securityGroup(),
          "sdn-vnet", sdnVnet());

  /** The requirements of one deployment program (empty for an unknown name). */
  public static List<PermissionRequirement> deploy(String program) {
    return DEPLOY_BY_PROGRAM.getOrDefault(program, List.of());
  }

  /**
   * The requirements of one program on {@code version} (null: the newest): PVE 9 dropped {@code
   * VM.Monitor}, and its guest-agent reads need {@code VM.GuestAgent.Audit} instead.
   */
  public static List<PermissionRequirement> deploy(String program, ProxmoxVersion version) {
    boolean pve9 = version == null || version.guestAgentAuditPriv();
    return deploy(program).stream()
        .map(
            r ->
                pve9 && r.privilege().equals("VM.Monitor")
                    ? new PermissionRequirement(
                        r.feature(), r.path(), "VM.GuestAgent.Audit", r.required(), r.reason())
                    : r)
        .toList();
  }

  private static List<PermissionRequirement> vm() {
    List<PermissionRequirement> out = new ArrayList<>();
    out.add(req("/vms", "VM.Clone", "clone the template (checked on /vms/<template>)"));
    out.add(req("/vms", "VM.Allocate", "create the VM and delete it on destroy"));
    out.add(req("/vms", "VM.Audit", "read the VM's config and status back"));
    for (String p :
        List.of(
            "VM.Config.CPU",
            "VM.Config.Memory",
            "VM.Config.Network",
            "VM.Config.Cloudinit",
            "VM.Config.Options",
            "VM.Config.Disk",
            "VM.Config.HWType",
            "VM.Config.CDROM")) {
      out.add(req("/vms", p, "configure the clone (" + p.substring("VM.Config.".length()) + ")"));
    }
    out.add(req("/vms", "VM.PowerMgmt", "start the VM and stop it before destroy"));
    out.add(
        req("/storage", "Datastore.AllocateSpace", "disks of the clone and the cloud-init drive"));
    out.add(req("/storage", "Datastore.Audit", "the provider reads storage while cloning"));
    out.add(req("/sdn/zones", "SDN.Use", "attach the NIC to a bridge or vnet"));
    out.add(req("/", "Sys.Audit", "the provider reads node and cluster status"));
    out.add(req("/pool", "Pool.Allocate", "add the VM to a pool (only with pool)", false));
    out.add(
        req(
            "/vms",
            "VM.Monitor",
            "guest agent IP addresses on PVE 7 and 8 (VM.GuestAgent.Audit on 9)",
            false));
    return List.copyOf(out);
  }

  private static List<PermissionRequirement> container() {
    List<PermissionRequirement> out = new ArrayList<>();
    out.add(req("/vms", "VM.Allocate", "create the container and delete it on destroy"));
    out.add(req("/vms", "VM.Audit", "read the container's config and status back"));
    for (String p :
        List.of(
            "VM.Config.CPU",
            "VM.Config.Memory",
            "VM.Config.Network",
            "VM.Config.Disk",
            "VM.Config.Options")) {
      out.add(
          req("/vms", p, "configure the container (" + p.substring("VM.Config.".length()) + ")"));
    }
    out.add(req("/vms", "VM.PowerMgmt", "start the container and stop it before destroy"));
    out.add(req("/storage", "Datastore.AllocateSpace", "the root file system"));
    out.add(req("/storage", "Datastore.Audit", "read the OS template volume"));
    out.add(req("/sdn/zones", "SDN.Use", "attach eth0 to a bridge or vnet"));
    out.add(req("/", "Sys.Audit", "the provider reads node and cluster status"));
    out.add(req("/", "Sys.Modify", "only for a privileged container (unprivileged=false)", false));
    out.add(req("/pool", "Pool.Allocate", "add the container to a pool (only with pool)", false));
    return List.copyOf(out);
  }

  private static List<PermissionRequirement> pool() {
    return List.of(
        req("/pool", "Pool.Allocate", "create, change and delete the pool"),
        req("/pool", "Pool.Audit", "read the pool back"));
  }

  private static List<PermissionRequirement> securityGroup() {
    return List.of(
        req("/", "Sys.Modify", "create, change and delete the cluster firewall group"),
        req("/", "Sys.Audit", "read the cluster firewall back"),
        req("/vms", "VM.Config.Network", "the guest's firewall rules and options"),
        req("/vms", "VM.Audit", "read the guest's firewall back"));
  }

  private static List<PermissionRequirement> sdnVnet() {
    return List.of(
        req("/sdn/zones", "SDN.Allocate", "create and delete the vnet in its zone"),
        req("/sdn", "SDN.Allocate", "apply pending SDN changes (PUT /cluster/sdn)"),
        req("/sdn", "SDN.Audit", "read SDN configuration back"));
  }

  private static PermissionRequirement req(String path, String privilege, String reason) {
    return req(path, privilege, reason, true);
  }

  private static PermissionRequirement req(
      String path, String privilege, String reason, boolean required) {
    return new PermissionRequirement(Feature.DEPLOYMENT, path, privilege, required, reason);
  }

  private static Map<String, List<PermissionRequirement>> orderedPrograms(Object... pairs) {
    Map<String, List<PermissionRequirement>> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<PermissionRequirement> list = (List<PermissionRequirement>) pairs[i + 1];
      out.put((String) pairs[i], list);
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
