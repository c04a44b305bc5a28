package dev.nimbus.wizard;

import dev.nimbus.model.Feature;
import dev.nimbus.model.PermissionRequirement;
import dev.nimbus.proxmox.client.model.ProxmoxVersion;
import dev.nimbus.proxmox.provider.ProxmoxPermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a token may be used for, as the wizard presents it (label, purpose). The privileges each
 * needs come from {@link ProxmoxPermissions}, the provider's own list, and deployment's per program
 * from its {@link ProxmoxPermissions#DEPLOY_BY_PROGRAM} (the bpg/proxmox provider's calls).
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

  /** The provider's feature this wizard feature presents. */
  public Feature feature() {
    return this == CHANGE_DETECTION ? Feature.FAST_CHANGE_DETECTION : Feature.valueOf(name());
  }

  /**
   * The privileges this feature needs on {@code version} (null: the newest), from the one list in
   * {@link ProxmoxPermissions}; for deployment, what every program needs (each once).
   */
  public List<Privilege> privileges(ProxmoxVersion version) {
    return privileges(ProxmoxPermissions.required(feature(), version));
  }

  /** The privileges one deployment program needs on {@code version} (null: the newest). */
  public static List<Privilege> deployPrivileges(String program, ProxmoxVersion version) {
    return privileges(ProxmoxPermissions.deploy(program, version));
  }

  private static List<Privilege> privileges(List<PermissionRequirement> requirements) {
    Set<Privilege> out = new LinkedHashSet<>();
    requirements.forEach(r -> out.add(new Privilege(r.path(), r.privilege())));
    return List.copyOf(out);
  }
}
