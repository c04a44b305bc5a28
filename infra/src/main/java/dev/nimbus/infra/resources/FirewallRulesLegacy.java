package dev.nimbus.infra.resources;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;
import java.util.List;

/**
 * A guest's firewall rule list: {@code proxmoxve:firewall/rulesLegacy:RulesLegacy} (Terraform
 * {@code proxmox_virtual_environment_firewall_rules}; version 7 {@code
 * proxmoxve:Network/firewallRules:FirewallRules}). With {@code vmId} (QEMU) or {@code containerId}
 * (LXC) and {@code nodeName} it manages that guest's rules.
 */
@ResourceType(type = "proxmoxve:firewall/rulesLegacy:RulesLegacy")
public final class FirewallRulesLegacy extends CustomResource {
  public static final String TOKEN = "proxmoxve:firewall/rulesLegacy:RulesLegacy";

  public FirewallRulesLegacy(String name, Args args, CustomResourceOptions options) {
    super(TOKEN, name, args, options);
  }

  /** Inputs. */
  public static final class Args extends ResourceArgs {
    @Import(name = "nodeName")
    private Output<String> nodeName;

    @Import(name = "vmId")
    private Output<Integer> vmId;

    @Import(name = "containerId")
    private Output<Integer> containerId;

    @Import(name = "rules")
    private Output<List<FirewallRule>> rules;

    /** Rules of guest {@code vmid} on {@code node}; {@code container} selects LXC. */
    public Args(String node, int vmid, boolean container, List<FirewallRule> rules) {
      this.nodeName = Output.of(node);
      if (container) {
        this.containerId = Output.of(vmid);
      } else {
        this.vmId = Output.of(vmid);
      }
      this.rules = Output.of(List.copyOf(rules));
    }
  }
}
