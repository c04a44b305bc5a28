package dev.nimbus.infra.programs;

import static dev.nimbus.infra.programs.ProgramInput.optional;
import static dev.nimbus.infra.programs.ProgramInput.required;

import com.pulumi.Context;
import com.pulumi.resources.ProviderResource;
import dev.nimbus.infra.ProxmoxVePackage;
import dev.nimbus.infra.resources.FirewallOptionsLegacy;
import dev.nimbus.infra.resources.FirewallRule;
import dev.nimbus.infra.resources.FirewallRulesLegacy;
import dev.nimbus.infra.resources.SecurityGroupLegacy;
import dev.nimbus.model.PermissionRequirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A security group (a cluster firewall group with rules) applied to one guest: the group, the
 * guest's rule list holding a reference to it, and the guest's firewall options (enabled, with the
 * given policies). The provider's rules resource owns the guest's whole rule list, so rules added
 * to that guest by hand are replaced. Inputs: {@link #INPUTS}.
 */
public final class SecurityGroupProgram implements DeploymentProgram {
  static final List<ProgramInput> INPUTS =
      List.of(
          required(
              "group",
              "string",
              "security group name: a letter, then 1 to 17 letters, digits, '-' or '_'"),
          required(
              "rules",
              "objects",
              "at least one rule: {direction: in|out, action: ACCEPT|DROP|REJECT}, optional proto,"
                  + " dport (needs proto: 22, 80:90, https), source, dest (address, CIDR or"
                  + " ipset), comment"),
          required(
              "guest",
              "integer",
              "VM id of an existing VM or container (not a template); its firewall rule list is"
                  + " replaced by the group"),
          optional("comment", "string", "comment of the group"),
          optional(
              "inputPolicy",
              "string",
              "the guest's policy for incoming traffic: ACCEPT, DROP or REJECT (default DROP)"),
          optional(
              "outputPolicy",
              "string",
              "the guest's policy for outgoing traffic: ACCEPT, DROP or REJECT (default ACCEPT)"));

  static final Pattern GROUP = Pattern.compile("[A-Za-z][A-Za-z0-9\\-_]{1,17}");
  static final Set<String> ACTIONS = Set.of("ACCEPT", "DROP", "REJECT");
  static final Pattern PORTS = Pattern.compile("[a-z0-9\\-]+(:[0-9]+)?(,[a-z0-9\\-]+(:[0-9]+)?)*");
  static final Pattern ADDRESS = Pattern.compile("[!]?[0-9a-fA-F:.,/+\\-_a-zA-Z]+");

  @Override
  public String name() {
    return "security-group";
  }

  @Override
  public String description() {
    return "Firewall security group with rules, applied to a guest";
  }

  @Override
  public List<PermissionRequirement> permissions() {
    return DeployPermissions.forProgram(name());
  }

  @Override
  public List<ProgramInput> inputs() {
    return INPUTS;
  }

  record Rule(
      String direction,
      String action,
      String proto,
      String dport,
      String source,
      String dest,
      String comment) {}

  @Override
  public Plan plan(Map<String, Object> raw, Inventory inv) {
    Inputs in = new Inputs(raw);
    String group = in.matching("group", true, GROUP, "must be 2-18 letters, digits, '-' or '_'");
    if (group != null
        && inv.securityGroups().contains(group)
        && !inv.managed().contains("firewall/group/" + group)) {
      in.error(
          "group", "security group '" + group + "' exists already and is not managed by Nimbus");
    }
    String comment = in.string("comment", false);
    List<Rule> rules = new ArrayList<>();
    List<Map<String, Object>> rawRules = in.objects("rules", true);
    if (rawRules.isEmpty() && in.has("rules")) {
      in.error("rules", "needs at least one rule");
    }
    for (int i = 0; i < rawRules.size(); i++) {
      rules.add(rule(in, "rules[" + i + "]", rawRules.get(i)));
    }
    Integer guestId = in.vmid("guest", true);
    Inventory.Guest guest = null;
    if (guestId != null) {
      var g = inv.guest(guestId);
      if (g.isEmpty()) {
        in.error("guest", "no guest " + guestId + " in this cluster");
      } else if (g.get().template()) {
        in.error("guest", "guest " + guestId + " is a template");
      } else {
        guest = g.get();
      }
    }
    String inPolicy = policy(in, "inputPolicy", "DROP");
    String outPolicy = policy(in, "outputPolicy", "ACCEPT");
    in.finish();
    Inventory.Guest target = guest;
    return new Plan() {
      @Override
      public Map<String, Object> inputs() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", group);
        m.put("comment", comment);
        List<Map<String, Object>> rs = new ArrayList<>();
        for (Rule r : rules) {
          Map<String, Object> rm = new LinkedHashMap<>();
          rm.put("direction", r.direction());
          rm.put("action", r.action());
          rm.put("proto", r.proto());
          rm.put("dport", r.dport());
          rm.put("source", r.source());
          rm.put("dest", r.dest());
          rm.put("comment", r.comment());
          rs.add(rm);
        }
        m.put("rules", rs);
        m.put("guest", target.vmid());
        m.put("inputPolicy", inPolicy);
        m.put("outputPolicy", outPolicy);
        return m;
      }

      @Override
      public void define(Context ctx, ProviderResource provider) {
        var sg =
            new SecurityGroupLegacy(
                group,
                new SecurityGroupLegacy.Args(
                    group,
                    comment,
                    rules.stream()
                        .map(
                            r ->
                                FirewallRule.rule(
                                    r.direction(),
                                    r.action(),
                                    r.proto(),
                                    r.dport(),
                                    r.source(),
                                    r.dest(),
                                    r.comment()))
                        .toList()),
                ProxmoxVePackage.options(provider));
        boolean container = target.type().equals("lxc");
        new FirewallRulesLegacy(
            group + "-on-" + target.vmid(),
            new FirewallRulesLegacy.Args(
                target.node(),
                target.vmid(),
                container,
                List.of(FirewallRule.securityGroup(sg.groupName(), "managed by Nimbus"))),
            ProxmoxVePackage.options(provider, sg));
        new FirewallOptionsLegacy(
            "firewall-" + target.vmid(),
            new FirewallOptionsLegacy.Args(
                target.node(), target.vmid(), container, inPolicy, outPolicy),
            ProxmoxVePackage.options(provider));
        ctx.export("group", sg.groupName());
      }
    };
  }

  private static Rule rule(Inputs in, String at, Map<String, Object> raw) {
    Inputs r = new Inputs(raw);
    String direction =
        r.matching("direction", true, Pattern.compile("in|out"), "must be in or out");
    String action = r.string("action", true);
    if (action != null && !ACTIONS.contains(action)) {
      r.error("action", "must be ACCEPT, DROP or REJECT");
    }
    String proto =
        r.matching("proto", false, Pattern.compile("[a-z0-9\\-]{1,20}"), "must be a protocol name");
    String dport = r.matching("dport", false, PORTS, "must be ports or ranges (22, 80:90, https)");
    if (dport != null && proto == null) {
      r.error("dport", "needs proto (tcp or udp)");
    }
    String source = r.matching("source", false, ADDRESS, "must be an address, CIDR or ipset");
    String dest = r.matching("dest", false, ADDRESS, "must be an address, CIDR or ipset");
    String comment = r.string("comment", false);
    try {
      r.finish();
    } catch (InputException e) {
      e.errors().forEach(fe -> in.error(at + "." + fe.field(), fe.message()));
    }
    return new Rule(direction, action, proto, dport, source, dest, comment);
  }

  private static String policy(Inputs in, String field, String fallback) {
    String p = in.string(field, false);
    if (p == null) {
      return fallback;
    }
    if (!ACTIONS.contains(p)) {
      in.error(field, "must be ACCEPT, DROP or REJECT");
      return fallback;
    }
    return p;
  }
}
