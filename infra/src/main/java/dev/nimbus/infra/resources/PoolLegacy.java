package dev.nimbus.infra.resources;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;

/**
 * A resource pool: {@code proxmoxve:index/poolLegacy:PoolLegacy} (Terraform {@code
 * proxmox_virtual_environment_pool}; version 7 {@code proxmoxve:Permission/pool:Pool}). {@code
 * poolId} is required and replaces the pool when changed; nested pools are {@code parent/child}.
 */
@ResourceType(type = "proxmoxve:index/poolLegacy:PoolLegacy")
public final class PoolLegacy extends CustomResource {
  public static final String TOKEN = "proxmoxve:index/poolLegacy:PoolLegacy";

  @Export(
      name = "poolId",
      refs = {String.class},
      tree = "[0]")
  private Output<String> poolId;

  public PoolLegacy(String name, Args args, CustomResourceOptions options) {
    super(TOKEN, name, args, options);
  }

  public Output<String> poolId() {
    return poolId;
  }

  /** Inputs. */
  public static final class Args extends ResourceArgs {
    @Import(name = "poolId", required = true)
    private Output<String> poolId;

    @Import(name = "comment")
    private Output<String> comment;

    public Args(String poolId, String comment) {
      this.poolId = Output.of(poolId);
      this.comment = comment == null ? null : Output.of(comment);
    }
  }
}
