package dev.nimbus.pvesim;

/** What a simulated cluster contains at start: the small mixed demo or a generated large one. */
public sealed interface ClusterLayout permits DemoCluster, ScaleGenerator {

  /** Fills an empty cluster (nodes first) deterministically from the cluster's seed. */
  void populate(Cluster cluster);
}
