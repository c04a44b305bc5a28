package dev.nimbus.wizard;

import java.util.List;

/**
 * What "check credentials" found: the cluster, its nodes with their certificate fingerprints, and
 * the token's permissions per feature.
 *
 * @param nodes every node of {@code GET /nodes}; {@code fingerprintSource} says whether the
 *     fingerprint was seen in a handshake ({@code probe}: the entry node) or read from the API over
 *     the verified connection ({@code api}: nodes behind a single tunnel entry)
 * @param pools the pool ids the token can see (nested pools as {@code parent/child}), for the scope
 *     step
 */
public record CheckResult(
    String version,
    String release,
    String clusterName,
    String tokenId,
    boolean privilegeSeparated,
    List<NodeInfo> nodes,
    List<String> pools,
    PermissionReport permissions,
    long proxmoxCalls) {

  public record NodeInfo(
      String node,
      boolean online,
      String sslFingerprint,
      String fingerprintSource,
      String pinned,
      boolean pinMatches) {}

  public CheckResult {
    nodes = List.copyOf(nodes);
    pools = List.copyOf(pools);
  }
}
