package dev.nimbus.infra.resources;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;

/**
 * Applies pending SDN changes ({@code PUT /cluster/sdn}): {@code proxmoxve:sdn/applier:Applier}
 * (Terraform {@code proxmox_sdn_applier}; version 7 {@code proxmoxve:Sdn/applier:Applier}), on
 * create and on destroy, so a vnet is usable (and gone) when the update ends.
 */
@ResourceType(type = "proxmoxve:sdn/applier:Applier")
public final class SdnApplier extends CustomResource {
  public static final String TOKEN = "proxmoxve:sdn/applier:Applier";

  public SdnApplier(String name, CustomResourceOptions options) {
    super(TOKEN, name, new Args(), options);
  }

  /** Inputs. */
  public static final class Args extends ResourceArgs {
    @Import(name = "onCreate")
    private final Output<Boolean> onCreate = Output.of(true);

    @Import(name = "onDestroy")
    private final Output<Boolean> onDestroy = Output.of(true);
  }
}
