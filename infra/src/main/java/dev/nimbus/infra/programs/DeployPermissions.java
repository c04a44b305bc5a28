package dev.nimbus.infra.programs;

import dev.nimbus.model.PermissionRequirement;
import dev.nimbus.proxmox.provider.ProxmoxPermissions;
import java.util.List;
import java.util.Map;

/**
 * The Proxmox privileges a deploy token needs, per program. The data lives in shared/proxmox
 * ({@link ProxmoxPermissions#DEPLOY_BY_PROGRAM}), the one source the wizard's permission check and
 * checklist read as well; shared modules cannot depend on infra/.
 */
public final class DeployPermissions {
  /** The role the bpg/proxmox provider's documentation asks for ("TerraformProv"). */
  public static final List<String> PROVIDER_DOCUMENTED = ProxmoxPermissions.PROVIDER_DOCUMENTED;

  /** Per program name: what its deployments need. */
  public static final Map<String, List<PermissionRequirement>> BY_PROGRAM =
      ProxmoxPermissions.DEPLOY_BY_PROGRAM;

  private DeployPermissions() {}

  /** The requirements of one program (empty for an unknown name). */
  public static List<PermissionRequirement> forProgram(String program) {
    return ProxmoxPermissions.deploy(program);
  }
}
