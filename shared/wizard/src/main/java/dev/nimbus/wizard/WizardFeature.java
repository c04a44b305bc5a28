package dev.nimbus.wizard;

import dev.nimbus.proxmox.client.model.ProxmoxVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * What a token may be used for, each with the Proxmox privileges it needs (after the API's own
 * permission checks) on the ACL path where the wizard grants them. The deployment set is the one
 * the bpg/proxmox provider documents for its user, with {@code VM.Monitor} replaced on PVE 9, which
 * dropped it, by the guest-agent audit privilege.
 */
public enum WizardFeature {
  DISCOVERY("Discovery", "read the cluster, nodes, guests, pools, storage, networks and firewall"),
  GUEST_AGENT("Guest IP addresses", "ask QEMU guest agents for the guests' IP addresses"),
  CHANGE_DETECTION("Fast change detection", "read the cluster log to see who changed what"),
  USAGE("Usage sampling", "read the metrics export and RRD series for showback"),
  DEPLOYMENT("Deployment", "create and change guests through Pulumi (bpg/proxmox)");

  /** One privilege on one ACL path. */
  public record Privilege(String path, String name) {}

  private final String label;
  private final String purpose;

  WizardFeature(String label, String purpose) {
    this.label = label;
    this.purpose = purpose;
  }

  public String label() {
    return label;
  }

  public String purpose() {
    return purpose;
  }

  /** The privileges this feature needs on {@code version} (null: the newest). */
  public List<Privilege> privileges(ProxmoxVersion version) {
    boolean pve9 = version == null || version.guestAgentAuditPriv();
    String agent = pve9 ? "VM.GuestAgent.Audit" : "VM.Monitor";
    List<Privilege> out = new ArrayList<>();
    switch (this) {
      case DISCOVERY -> {
        out.add(new Privilege("/", "Sys.Audit"));
        out.add(new Privilege("/vms", "VM.Audit"));
        out.add(new Privilege("/storage", "Datastore.Audit"));
        out.add(new Privilege("/pool", "Pool.Audit"));
        out.add(new Privilege("/sdn", "SDN.Audit"));
      }
      case GUEST_AGENT -> out.add(new Privilege("/vms", agent));
      case CHANGE_DETECTION -> out.add(new Privilege("/", "Sys.Syslog"));
      case USAGE -> out.add(new Privilege("/", "Sys.Audit"));
      case DEPLOYMENT -> {
        for (String p :
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
                agent,
                "VM.PowerMgmt",
                "User.Modify")) {
          out.add(new Privilege("/", p));
        }
      }
    }
    return List.copyOf(out);
  }
}
