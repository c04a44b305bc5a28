package dev.nimbus.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * 16 nodes and 10,000 guests from a seed: starts quickly, fits the test JVM, serves the full list.
 */
class ScaleTest {

  @Test
  void sixteenNodesAndTenThousandGuestsAreGeneratedDeterministicallyAndServed() {
    long heapBefore = usedHeap();
    long startNanos = System.nanoTime();
    SimulatorConfig config =
        SimulatorConfig.scale(16, 10_000, 2026).withAuthFailureDelay(Duration.ZERO);
    try (PveSimulator sim = PveSimulator.start(config)) {
      Duration startup = Duration.ofNanos(System.nanoTime() - startNanos);
      long heap = usedHeap() - heapBefore;
      SimClient api =
          SimClient.withToken(
              sim, sim.createToken("root@pam", "bench", Roles.ADMINISTRATOR, false));

      api.get("/cluster/resources"); // warm-up
      long t = System.nanoTime();
      JsonNode rows = api.get("/cluster/resources").data();
      Duration serve = Duration.ofNanos(System.nanoTime() - t);

      long guests =
          rows.valueStream().filter(r -> r.get("type").asString().matches("qemu|lxc")).count();
      long nodes = rows.valueStream().filter(r -> r.get("type").asString().equals("node")).count();
      assertThat(guests).isEqualTo(10_000);
      assertThat(nodes).isEqualTo(16);
      assertThat(api.get("/cluster/resources", Map.of("type", "vm")).data()).hasSize(10_000);
      assertThat(sim.cluster().guests().stream().filter(Guest::template)).isNotEmpty();
      assertThat(sim.cluster().guests().stream().map(g -> g.type()))
          .contains(GuestType.QEMU, GuestType.LXC);

      try (PveSimulator again = PveSimulator.start(config)) {
        assertThat(again.cluster().guest(5000).config())
            .isEqualTo(sim.cluster().guest(5000).config());
      }
      System.out.printf(
          "scale 16 nodes/10000 guests: startup %d ms, heap ~%d MiB, /cluster/resources %d ms (%d rows)%n",
          startup.toMillis(), heap >> 20, serve.toMillis(), rows.size());
    }
  }

  private static long usedHeap() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
