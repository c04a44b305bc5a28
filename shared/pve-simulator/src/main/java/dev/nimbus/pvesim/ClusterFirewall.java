package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Datacenter-level firewall: rules, security groups, aliases, IP sets and options. */
final class ClusterFirewall {
  record Alias(String name, String cidr, String comment) {}

  record IpSetEntry(String cidr, String comment, boolean nomatch) {}

  record Group(String name, String comment, List<FirewallRule> rules) {}

  record IpSet(String name, String comment, List<IpSetEntry> entries) {}

  final List<FirewallRule> rules = new ArrayList<>();
  final Map<String, Group> groups = new TreeMap<>();
  final List<Alias> aliases = new ArrayList<>();
  final Map<String, IpSet> ipsets = new TreeMap<>();
  final Map<String, Object> options = new LinkedHashMap<>();
}
