package dev.nimbus.infra.resources;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;

/**
 * An SDN vnet: {@code proxmoxve:sdn/vnet:Vnet} (Terraform {@code proxmox_sdn_vnet}; version 7
 * {@code proxmoxve:Sdn/vnet:Vnet}, whose id property was {@code vnetId}; version 8 also offers the
 * deprecated {@code proxmoxve:sdn/vnetLegacy:VnetLegacy}). {@code resourceId} and {@code zone} are
 * required. SDN changes are pending until applied ({@link SdnApplier}).
 */
@ResourceType(type = "proxmoxve:sdn/vnet:Vnet")
public final class SdnVnet extends CustomResource {
  public static final String TOKEN = "proxmoxve:sdn/vnet:Vnet";

  @Export(
      name = "resourceId",
      refs = {String.class},
      tree = "[0]")
  private Output<String> resourceId;

  public SdnVnet(String name, Args args, CustomResourceOptions options) {
    super(TOKEN, name, args, options);
  }

  public Output<String> vnetId() {
    return resourceId;
  }

  /** Inputs. */
  public static final class Args extends ResourceArgs {
    @Import(name = "resourceId", required = true)
    private Output<String> resourceId;

    @Import(name = "zone", required = true)
    private Output<String> zone;

    @Import(name = "alias")
    private Output<String> alias;

    @Import(name = "tag")
    private Output<Integer> tag;

    @Import(name = "vlanAware")
    private Output<Boolean> vlanAware;

    @Import(name = "isolatePorts")
    private Output<Boolean> isolatePorts;

    public Args(
        String vnet,
        String zone,
        String alias,
        Integer tag,
        Boolean vlanAware,
        Boolean isolatePorts) {
      this.resourceId = Output.of(vnet);
      this.zone = Output.of(zone);
      this.alias = alias == null ? null : Output.of(alias);
      this.tag = tag == null ? null : Output.of(tag);
      this.vlanAware = vlanAware == null ? null : Output.of(vlanAware);
      this.isolatePorts = isolatePorts == null ? null : Output.of(isolatePorts);
    }
  }
}
