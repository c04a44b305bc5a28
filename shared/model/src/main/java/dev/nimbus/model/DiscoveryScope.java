package dev.nimbus.model;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What part of a connection one discovery covers: everything, or selected compartments or hosts.
 */
public sealed interface DiscoveryScope {

  /** Everything the credentials may see. */
  record Everything() implements DiscoveryScope {}

  /** Only resources in these compartments (Proxmox pools, nested ones included). */
  record Compartments(SortedSet<String> names) implements DiscoveryScope {
    public Compartments {
      if (names == null || names.isEmpty()) {
        throw new IllegalArgumentException("a compartment scope names at least one compartment");
      }
      names = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(names));
    }
  }

  /** Only resources on these hosts (Proxmox nodes), plus the cluster-wide ones. */
  record Hosts(SortedSet<String> names) implements DiscoveryScope {
    public Hosts {
      if (names == null || names.isEmpty()) {
        throw new IllegalArgumentException("a host scope names at least one host");
      }
      names = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(names));
    }
  }

  static DiscoveryScope everything() {
    return new Everything();
  }

  static DiscoveryScope compartments(Set<String> names) {
    return new Compartments(new TreeSet<>(names));
  }

  static DiscoveryScope hosts(Set<String> names) {
    return new Hosts(new TreeSet<>(names));
  }
}
