package dev.nimbus.infra.resources;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;

/**
 * A guest's firewall options: {@code proxmoxve:firewall/optionsLegacy:OptionsLegacy} (Terraform
 * {@code proxmox_virtual_environment_firewall_options}; version 7 {@code
 * proxmoxve:Network/firewallOptions:FirewallOptions}); {@code nodeName} is required. Rules only
 * filter once the guest's firewall is enabled here.
 */
@ResourceType(type = "proxmoxve:firewall/optionsLegacy:OptionsLegacy")
public final class FirewallOptionsLegacy extends CustomResource {
  public static final String TOKEN = "proxmoxve:firewall/optionsLegacy:OptionsLegacy";

  public FirewallOptionsLegacy(String name, Args args, CustomResourceOptions options) {
    super(TOKEN, name, args, options);
  }

  /** Inputs. */
  public static final class Args extends ResourceArgs {
    @Import(name = "nodeName", required = true)
    private Output<String> nodeName;

    @Import(name = "vmId")
    private Output<Integer> vmId;

    @Import(name = "containerId")
    private Output<Integer> containerId;

    @Import(name = "enabled")
    private Output<Boolean> enabled;

    @Import(name = "inputPolicy")
    private Output<String> inputPolicy;

    @Import(name = "outputPolicy")
    private Output<String> outputPolicy;

    public Args(String node, int vmid, boolean container, String inputPolicy, String outputPolicy) {
      this.nodeName = Output.of(node);
      if (container) {
        this.containerId = Output.of(vmid);
      } else {
        this.vmId = Output.of(vmid);
      }
      this.enabled = Output.of(true);
      this.inputPolicy = Output.of(inputPolicy);
      this.outputPolicy = Output.of(outputPolicy);
    }
  }
}
