package dev.nimbus.pvesim;

import static dev.nimbus.pvesim.FaultsTest.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class UsageTest {
  private static final Instant T0 = Instant.parse("2026-01-15T12:00:00Z");

  private static JsonNode read(long seed, String path, Map<String, String> params) {
    SimulatorConfig config =
        SimulatorConfig.demo()
            .withSeed(seed)
            .withClock(new MutableClock(T0))
            .withAuthFailureDelay(Duration.ZERO);
    try (PveSimulator sim = PveSimulator.start(config)) {
      return SimClient.withToken(sim, sim.createToken("root@pam", "u", Roles.ADMINISTRATOR, false))
          .get(path, params)
          .data();
    }
  }

  @Test
  void rrddataIsDeterministicForASeedAndDiffersAcrossSeeds() {
    Map<String, String> hour = Map.of("timeframe", "hour");
    JsonNode a = read(7, "/nodes/pve1/qemu/101/rrddata", hour);
    JsonNode b = read(7, "/nodes/pve1/qemu/101/rrddata", hour);
    JsonNode c = read(8, "/nodes/pve1/qemu/101/rrddata", hour);
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    assertThat(a).hasSize(60);
    assertThat(a.get(1).get("time").asLong() - a.get(0).get("time").asLong()).isEqualTo(60);
    assertThat(a.get(59).get("time").asLong()).isLessThan(T0.getEpochSecond());
  }

  @Test
  void rrdSeriesArePlausibleAndMaxIsAtLeastAverage() {
    JsonNode avg = read(7, "/nodes/pve1/qemu/101/rrddata", Map.of("timeframe", "day"));
    JsonNode max = read(7, "/nodes/pve1/qemu/101/rrddata", Map.of("timeframe", "day", "cf", "MAX"));
    for (int i = 0; i < avg.size(); i++) {
      JsonNode p = avg.get(i);
      assertThat(p.get("cpu").asDouble()).isBetween(0.0, 1.0);
      assertThat(p.get("mem").asDouble()).isBetween(0.0, p.get("maxmem").asDouble());
      assertThat(p.get("netin").asDouble()).isPositive();
      assertThat(max.get(i).get("cpu").asDouble()).isGreaterThanOrEqualTo(p.get("cpu").asDouble());
    }
    JsonNode storage =
        read(7, "/nodes/pve1/storage/local-lvm/rrddata", Map.of("timeframe", "week"));
    assertThat(storage.get(0).get("used").asDouble())
        .isLessThanOrEqualTo(storage.get(0).get("total").asDouble());
  }

  @Test
  void aStoppedGuestHasOnlyTheStaticRrdColumns() {
    JsonNode point = read(7, "/nodes/pve3/qemu/104/rrddata", Map.of("timeframe", "hour")).get(0);
    assertThat(point.propertyNames())
        .containsExactlyInAnyOrder("time", "maxcpu", "maxmem", "maxdisk", "disk");
  }

  @Test
  void cumulativeCountersGrowAsTimePasses() {
    MutableClock clock = new MutableClock(T0);
    SimulatorConfig config =
        SimulatorConfig.demo().withClock(clock).withAuthFailureDelay(Duration.ZERO);
    try (PveSimulator sim = PveSimulator.start(config)) {
      SimClient api =
          SimClient.withToken(sim, sim.createToken("root@pam", "u", Roles.ADMINISTRATOR, false));
      JsonNode before = row(api.get("/cluster/resources").data(), "qemu/101");
      clock.advance(Duration.ofMinutes(5));
      JsonNode after = row(api.get("/cluster/resources").data(), "qemu/101");
      for (String counter : new String[] {"netin", "netout", "diskread", "diskwrite", "uptime"}) {
        assertThat(after.get(counter).asLong())
            .as(counter)
            .isGreaterThan(before.get(counter).asLong());
      }
      assertThat(row(api.get("/cluster/resources").data(), "qemu/104").get("netin").asLong())
          .isZero();
    }
  }
}
