package dev.nimbus.pvesim;

import java.util.Map;
import java.util.Set;

/**
 * A storage definition from storage.cfg. {@code nodes} null means available on every node; local
 * storages exist once per node with independent usage.
 */
record Storage(
    String id,
    String type,
    String content,
    boolean shared,
    Set<String> nodes,
    long total,
    Map<String, String> properties) {

  boolean availableOn(String node) {
    return nodes == null || nodes.contains(node);
  }
}
