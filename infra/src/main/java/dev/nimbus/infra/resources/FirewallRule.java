package dev.nimbus.infra.resources;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

/**
 * One firewall rule, the schema's {@code GroupLegacyRule} and {@code RulesLegacyRule} (the same
 * properties): either a rule ({@code type} in/out, {@code action}, optional match fields) or a
 * reference to a security group ({@code securityGroup}).
 */
public final class FirewallRule extends ResourceArgs {
  @Import(name = "type")
  private Output<String> type;

  @Import(name = "action")
  private Output<String> action;

  @Import(name = "proto")
  private Output<String> proto;

  @Import(name = "dport")
  private Output<String> dport;

  @Import(name = "source")
  private Output<String> source;

  @Import(name = "dest")
  private Output<String> dest;

  @Import(name = "comment")
  private Output<String> comment;

  @Import(name = "enabled")
  private Output<Boolean> enabled;

  @Import(name = "securityGroup")
  private Output<String> securityGroup;

  private FirewallRule() {}

  /** A rule of a security group. */
  public static FirewallRule rule(
      String direction,
      String action,
      String proto,
      String dport,
      String source,
      String dest,
      String comment) {
    FirewallRule r = new FirewallRule();
    r.type = Output.of(direction);
    r.action = Output.of(action);
    r.proto = opt(proto);
    r.dport = opt(dport);
    r.source = opt(source);
    r.dest = opt(dest);
    r.comment = opt(comment);
    r.enabled = Output.of(true);
    return r;
  }

  /** A guest's rule that applies a security group (its name comes from the group resource). */
  public static FirewallRule securityGroup(Output<String> group, String comment) {
    FirewallRule r = new FirewallRule();
    r.securityGroup = group;
    r.comment = opt(comment);
    r.enabled = Output.of(true);
    return r;
  }

  private static Output<String> opt(String v) {
    return v == null || v.isBlank() ? null : Output.of(v);
  }
}
