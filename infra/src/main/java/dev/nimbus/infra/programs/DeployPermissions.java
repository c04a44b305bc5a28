package dev.nimbus.infra.programs;

import dev.nimbus.model.Feature;
import dev.nimbus.model.PermissionRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Proxmox privileges a deploy token needs, per program, for the wizard to show (and check)
 * before a deployment. Each entry is the check the Proxmox API itself makes (from the API schema's
 * {@code permissions} of the calls the provider sends) plus what the provider reads while it works.
 * {@link #PROVIDER_DOCUMENTED} is the full role the bpg/proxmox provider documents for itself; note
 * that it lacks {@code SDN.Allocate}, which creating a vnet and applying SDN changes need.
 */
public final class DeployPermissions {
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
  public static final Map<String, List<PermissionRequirement>> BY_PROGRAM =
      Map.of(
          "vm", vm(),
          "container", container(),
          "pool", pool(),
          "security-group", securityGroup(),
          "sdn-vnet", sdnVnet());

  private DeployPermissions() {}

  /** The requirements of one program (empty for an unknown name). */
  public static List<PermissionRequirement> forProgram(String program) {
    return BY_PROGRAM.getOrDefault(program, List.of());
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
}
