package dev.nimbus.proxmox.client.model;

import tools.jackson.databind.JsonNode;

/**
 * Firewall objects: rules (cluster, security group, node, guest and, since PVE 8.4, VNet), security
 * groups, aliases, IP sets and options. Each config answer carries a {@code digest} of the file.
 */
public final class Firewall {
  private Firewall() {}

  /**
   * One rule. {@code type} is in, out, group or (nftables, 8.4+) forward; for {@code group} rules
   * {@code action} is the security group name.
   */
  public record Rule(
      int pos,
      String type,
      String action,
      String macro,
      String source,
      String dest,
      String proto,
      String dport,
      String sport,
      String iface,
      String icmpType,
      boolean enabled,
      String log,
      String comment,
      Integer ipversion,
      String digest,
      JsonNode raw) {

    public static Rule from(JsonNode n) {
      Integer pos = Lenient.intValue(n, "pos");
      return new Rule(
          pos == null ? -1 : pos,
          Lenient.text(n, "type"),
          Lenient.text(n, "action"),
          Lenient.text(n, "macro"),
          Lenient.text(n, "source"),
          Lenient.text(n, "dest"),
          Lenient.text(n, "proto"),
          Lenient.text(n, "dport"),
          Lenient.text(n, "sport"),
          Lenient.text(n, "iface"),
          Lenient.text(n, "icmp-type"),
          Lenient.bool(n, "enable"),
          Lenient.text(n, "log"),
          Lenient.text(n, "comment"),
          Lenient.intValue(n, "ipversion"),
          Lenient.text(n, "digest"),
          n);
    }
  }

  /** A cluster security group. */
  public record Group(String group, String comment, String digest) {
    public static Group from(JsonNode n) {
      return new Group(
          Lenient.text(n, "group"), Lenient.text(n, "comment"), Lenient.text(n, "digest"));
    }
  }

  /** A named address or network. */
  public record Alias(String name, String cidr, String comment, String digest) {
    public static Alias from(JsonNode n) {
      return new Alias(
          Lenient.text(n, "name"),
          Lenient.text(n, "cidr"),
          Lenient.text(n, "comment"),
          Lenient.text(n, "digest"));
    }
  }

  /** A named IP set (its entries come from a separate call). */
  public record IpSet(String name, String comment, String digest) {
    public static IpSet from(JsonNode n) {
      return new IpSet(
          Lenient.text(n, "name"), Lenient.text(n, "comment"), Lenient.text(n, "digest"));
    }
  }

  /** One IP set entry; {@code nomatch} excludes it. */
  public record IpSetEntry(String cidr, String comment, boolean nomatch, String digest) {
    public static IpSetEntry from(JsonNode n) {
      return new IpSetEntry(
          Lenient.text(n, "cidr"),
          Lenient.text(n, "comment"),
          Lenient.bool(n, "nomatch"),
          Lenient.text(n, "digest"));
    }
  }

  /** Firewall options; the cluster firewall is off unless {@code enable} is set. */
  public record Options(
      boolean enabled,
      String policyIn,
      String policyOut,
      String policyForward,
      Boolean ebtables,
      JsonNode raw) {
    public static Options from(JsonNode n) {
      return new Options(
          Lenient.bool(n, "enable"),
          Lenient.text(n, "policy_in"),
          Lenient.text(n, "policy_out"),
          Lenient.text(n, "policy_forward"),
          Lenient.boolOrNull(n, "ebtables"),
          n);
    }
  }
}
