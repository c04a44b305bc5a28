package dev.nimbus.pvesim;

/**
 * What a simulated cluster contains at start: the small mixed demo, a generated large one, or a
 * single node outside any cluster.
 */
public sealed interface ClusterLayout permits DemoCluster, ScaleGenerator, StandaloneNode {

  /** Fills an empty cluster (nodes first) deterministically from the cluster's seed. */
  void populate(Cluster cluster);
}
