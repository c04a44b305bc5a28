package dev.nimbus.wizard;

import java.util.List;

/**
 * A re-pin as shown to the user before confirming: each node's pinned and current fingerprint.
 * {@code entryTrusted} is false when the entry node itself presents a new certificate: then only
 * its fingerprint from the handshake is known until the user confirms it, and the other nodes'
 * fingerprints are read over the confirmed connection.
 */
public record RepinPlan(long version, boolean entryTrusted, List<NodePin> nodes) {
  public record NodePin(String node, String pinned, String current, boolean changed) {}

  public RepinPlan {
    nodes = List.copyOf(nodes);
  }

  public boolean anyChanged() {
    return nodes.stream().anyMatch(NodePin::changed);
  }
}
