package dev.nimbus.infra.resources;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;
import java.util.List;

/**
 * A cluster firewall security group: {@code
 * proxmoxve:cluster/firewall/security/groupLegacy:GroupLegacy} (Terraform {@code
 * proxmox_virtual_environment_cluster_firewall_security_group}; version 7 {@code
 * proxmoxve:Network/firewallSecurityGroup:FirewallSecurityGroup}).
 */
@ResourceType(type = "proxmoxve:cluster/firewall/security/groupLegacy:GroupLegacy")
public final class SecurityGroupLegacy extends CustomResource {
  public static final String TOKEN = "proxmoxve:cluster/firewall/security/groupLegacy:GroupLegacy";

  @Export(
      name = "name",
      refs = {String.class},
      tree = "[0]")
  private Output<String> name;

  public SecurityGroupLegacy(String name, Args args, CustomResourceOptions options) {
    super(TOKEN, name, args, options);
  }

  /** The group's name in Proxmox, known once the group exists. */
  public Output<String> groupName() {
    return name;
  }

  /** Inputs. */
  public static final class Args extends ResourceArgs {
    @Import(name = "name", required = true)
    private Output<String> name;

    @Import(name = "comment")
    private Output<String> comment;

    @Import(name = "rules")
    private Output<List<FirewallRule>> rules;

    public Args(String name, String comment, List<FirewallRule> rules) {
      this.name = Output.of(name);
      this.comment = comment == null ? null : Output.of(comment);
      this.rules = Output.of(List.copyOf(rules));
    }
  }
}
