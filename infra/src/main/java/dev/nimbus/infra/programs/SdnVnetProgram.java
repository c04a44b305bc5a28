package dev.nimbus.infra.programs;

import static dev.nimbus.infra.programs.ProgramInput.optional;
import static dev.nimbus.infra.programs.ProgramInput.required;

import com.pulumi.Context;
import com.pulumi.resources.ProviderResource;
import dev.nimbus.infra.ProxmoxVePackage;
import dev.nimbus.infra.resources.SdnApplier;
import dev.nimbus.infra.resources.SdnVnet;
import dev.nimbus.model.PermissionRequirement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An SDN vnet in an existing zone, applied at the end of the update (SDN changes stay pending in
 * Proxmox until applied). Inputs: {@link #INPUTS}.
 */
public final class SdnVnetProgram implements DeploymentProgram {
  static final List<ProgramInput> INPUTS =
      List.of(
          required("vnet", "string", "vnet id: a letter, then 1 to 7 letters or digits"),
          required("zone", "string", "an existing SDN zone of this cluster"),
          optional("alias", "string", "a readable name for the vnet"),
          optional(
              "tag",
              "integer",
              "VLAN tag (VLAN, QinQ zones) or VXLAN VNI (VXLAN, EVPN zones), 1 to 16777215"),
          optional(
              "vlanAware",
              "boolean",
              "let VLAN-tagged guest traffic through the vnet (default off)"),
          optional(
              "isolatePorts",
              "boolean",
              "isolate the guest ports on the vnet's bridge from each other (default off)"));

  static final Pattern VNET_ID = Pattern.compile("[a-zA-Z][a-zA-Z0-9]{1,7}");

  @Override
  public String name() {
    return "sdn-vnet";
  }

  @Override
  public String description() {
    return "SDN vnet in an existing zone, applied cluster-wide";
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
    String vnet =
        in.matching("vnet", true, VNET_ID, "must be 2-8 letters or digits, starting with a letter");
    if (vnet != null
        && inv.sdnVnets().contains(vnet)
        && !inv.managed().contains("sdn/vnet/" + vnet)) {
      in.error("vnet", "vnet '" + vnet + "' exists already and is not managed by Nimbus");
    }
    String zone = in.matching("zone", true, VNET_ID, "must be an SDN zone id");
    if (zone != null && !inv.sdnZones().contains(zone)) {
      in.error(
          "zone", "no SDN zone '" + zone + "' in this cluster (known: " + inv.sdnZones() + ")");
    }
    String alias = in.string("alias", false);
    Integer tag = in.integer("tag", false, 1, 16_777_215, null);
    Boolean vlanAware = in.has("vlanAware") ? in.bool("vlanAware", false) : null;
    Boolean isolate = in.has("isolatePorts") ? in.bool("isolatePorts", false) : null;
    in.finish();
    return new Plan() {
      @Override
      public Map<String, Object> inputs() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vnet", vnet);
        m.put("zone", zone);
        m.put("alias", alias);
        m.put("tag", tag);
        m.put("vlanAware", vlanAware);
        m.put("isolatePorts", isolate);
        return m;
      }

      @Override
      public void define(Context ctx, ProviderResource provider) {
        var v =
            new SdnVnet(
                vnet,
                new SdnVnet.Args(vnet, zone, alias, tag, vlanAware, isolate),
                ProxmoxVePackage.options(provider));
        new SdnApplier(vnet + "-apply", ProxmoxVePackage.options(provider, v));
        ctx.export("vnet", v.vnetId());
      }
    };
  }
}
