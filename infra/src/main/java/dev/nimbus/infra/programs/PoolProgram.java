package dev.nimbus.infra.programs;

import static dev.nimbus.infra.programs.ProgramInput.optional;
import static dev.nimbus.infra.programs.ProgramInput.required;

import com.pulumi.Context;
import com.pulumi.resources.ProviderResource;
import dev.nimbus.infra.ProxmoxVePackage;
import dev.nimbus.infra.resources.PoolLegacy;
import dev.nimbus.model.PermissionRequirement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A resource pool (a Nimbus compartment). Inputs: {@link #INPUTS}. */
public final class PoolProgram implements DeploymentProgram {
  static final List<ProgramInput> INPUTS =
      List.of(
          required(
              "poolId",
              "string",
              "pool id: letters, digits, '-', '_'; parent/child (up to 3 levels, PVE 8.1+) nests"
                  + " it under an existing pool"),
          optional("comment", "string", "comment shown in Proxmox"));

  @Override
  public String name() {
    return "pool";
  }

  @Override
  public String description() {
    return "Resource pool (compartment), nested under an existing pool with parent/child";
  }

  @Override
  public List<PermissionRequirement> permissions() {
    return DeployPermissions.forProgram(name());
  }

  @Override
  public List<ProgramInput> inputs() {
    return INPUTS;
  }

  @Override
  public Plan plan(Map<String, Object> raw, Inventory inv) {
    Inputs in = new Inputs(raw);
    String poolId =
        in.matching(
            "poolId",
            true,
            Checks.POOL_ID,
            "must be a pool id: letters, digits, '-', '_', nested as parent/child");
    if (poolId != null) {
      int slash = poolId.lastIndexOf('/');
      if (slash > 0 && !inv.pools().contains(poolId.substring(0, slash))) {
        in.error("poolId", "parent pool '" + poolId.substring(0, slash) + "' does not exist");
      }
      if (inv.pools().contains(poolId) && !inv.managed().contains("pool/" + poolId)) {
        in.error("poolId", "pool '" + poolId + "' exists already and is not managed by Nimbus");
      }
    }
    String comment = in.string("comment", false);
    in.finish();
    return new Plan() {
      @Override
      public Map<String, Object> inputs() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("poolId", poolId);
        m.put("comment", comment);
        return m;
      }

      @Override
      public void define(Context ctx, ProviderResource provider) {
        var pool =
            new PoolLegacy(
                poolId.replace('/', '-'),
                new PoolLegacy.Args(poolId, comment),
                ProxmoxVePackage.options(provider));
        ctx.export("poolId", pool.poolId());
      }
    };
  }
}
