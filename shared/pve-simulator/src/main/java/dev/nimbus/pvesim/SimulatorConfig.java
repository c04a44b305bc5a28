package dev.nimbus.pvesim;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to start a simulator: version profile, seed, cluster layout, entry port (0 = any free port),
 * the delay before a 401 (3 s like Proxmox; tests switch it off) and the added latency per request.
 */
public record SimulatorConfig(
    PveVersion version,
    long seed,
    ClusterLayout layout,
    int port,
    Duration authFailureDelay,
    Duration latency,
    String clusterName,
    Clock clock) {

  public SimulatorConfig {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(authFailureDelay, "authFailureDelay");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(clock, "clock");
  }

  /** The demo cluster on PVE 8.4, seed 42, any free port, Proxmox's 3 s auth failure delay. */
  public static SimulatorConfig demo() {
    return new SimulatorConfig(
        PveVersion.V8_4,
        42,
        new DemoCluster(),
        0,
        Duration.ofSeconds(3),
        Duration.ZERO,
        "nimbus-sim",
        Clock.systemUTC());
  }

  /**
   * A single node {@code node} that is not part of a cluster ({@link StandaloneNode}); the
   * certificate authority is named after the node, as {@code pvecm} never ran.
   */
  public static SimulatorConfig standalone(String node) {
    return demo().withLayout(new StandaloneNode(node)).withClusterName(node);
  }

  /** A generated cluster of {@code nodes} nodes and {@code guests} guests. */
  public static SimulatorConfig scale(int nodes, int guests, long seed) {
    return demo().withLayout(new ScaleGenerator(nodes, guests)).withSeed(seed);
  }

  public SimulatorConfig withVersion(PveVersion v) {
    return new SimulatorConfig(
        v, seed, layout, port, authFailureDelay, latency, clusterName, clock);
  }

  public SimulatorConfig withSeed(long s) {
    return new SimulatorConfig(
        version, s, layout, port, authFailureDelay, latency, clusterName, clock);
  }

  public SimulatorConfig withLayout(ClusterLayout l) {
    return new SimulatorConfig(
        version, seed, l, port, authFailureDelay, latency, clusterName, clock);
  }

  public SimulatorConfig withPort(int p) {
    return new SimulatorConfig(
        version, seed, layout, p, authFailureDelay, latency, clusterName, clock);
  }

  public SimulatorConfig withAuthFailureDelay(Duration d) {
    return new SimulatorConfig(version, seed, layout, port, d, latency, clusterName, clock);
  }

  public SimulatorConfig withLatency(Duration d) {
    return new SimulatorConfig(
        version, seed, layout, port, authFailureDelay, d, clusterName, clock);
  }

  public SimulatorConfig withClusterName(String name) {
    return new SimulatorConfig(version, seed, layout, port, authFailureDelay, latency, name, clock);
  }

  public SimulatorConfig withClock(Clock c) {
    return new SimulatorConfig(
        version, seed, layout, port, authFailureDelay, latency, clusterName, c);
  }
}
