package dev.nimbus.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /cluster/metrics/export} as pve-manager 8.4+ serves it. */
class MetricsExportTest {
  private static final Instant T0 = Instant.parse("2026-01-15T12:00:03Z");

  private static PveSimulator start(PveVersion version, SimClock clock) {
    return PveSimulator.start(
        SimulatorConfig.demo()
            .withVersion(version)
            .withClock(clock)
            .withAuthFailureDelay(Duration.ZERO));
  }

  private static SimClient auditor(PveSimulator sim) {
    return SimClient.withToken(sim, sim.createToken("nimbus@pve", "m", Roles.PVE_AUDITOR, true));
  }

  private static List<JsonNode> rows(JsonNode data, String id, String metric) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : data) {
      if (n.get("id").asString().equals(id) && n.get("metric").asString().equals(metric)) {
        out.add(n);
      }
    }
    return out;
  }

  @Test
  void withoutHistoryOnlyTheNewestGenerationWithHistoryThirtyMinutesOfTenSecondGenerations() {
    for (PveVersion v : List.of(PveVersion.V8_4, PveVersion.V9_1)) {
      try (PveSimulator sim = start(v, new SimClock(T0))) {
        SimClient api = auditor(sim);
        JsonNode now = api.get("/cluster/metrics/export").data().get("data");
        Set<Long> times = new TreeSet<>();
        now.forEach(n -> times.add(n.get("timestamp").asLong()));
        assertThat(times).containsExactly(1768478400L); // 12:00:00, the last 10 s cycle

        JsonNode all =
            api.get("/cluster/metrics/export", Map.of("history", "1")).data().get("data");
        times.clear();
        long previous = 0;
        for (JsonNode n : all) {
          long t = n.get("timestamp").asLong();
          assertThat(t).as("sorted by timestamp").isGreaterThanOrEqualTo(previous);
          previous = t;
          times.add(t);
          assertThat(n.get("type").asString()).isIn("gauge", "counter", "derive");
        }
        assertThat(times).hasSize(180);
        assertThat(((TreeSet<Long>) times).first()).isEqualTo(1768478400L - 179 * 10);

        JsonNode since =
            api.get(
                    "/cluster/metrics/export",
                    Map.of("history", "1", "start-time", Long.toString(1768478400L - 60)))
                .data()
                .get("data");
        Set<Long> sinceTimes = new TreeSet<>();
        since.forEach(n -> sinceTimes.add(n.get("timestamp").asLong()));
        // "timestamp > start-time": the generation at start-time itself is left out.
        assertThat(sinceTimes).hasSize(6).doesNotContain(1768478400L - 60);
      }
    }
  }

  @Test
  void idsMetricNamesAndTypesArePvestatds() {
    try (PveSimulator sim = start(PveVersion.V9_1, new SimClock(T0))) {
      JsonNode data = auditor(sim).get("/cluster/metrics/export").data().get("data");
      assertThat(rows(data, "node/pve1", "cpu_current")).hasSize(1);
      assertThat(rows(data, "node/pve1", "net_in").get(0).get("type").asString())
          .isEqualTo("derive");
      assertThat(rows(data, "qemu/101", "net_in").get(0).get("type").asString())
          .isEqualTo("derive");
      assertThat(rows(data, "qemu/101", "cpu_max").get(0).get("type").asString())
          .isEqualTo("gauge");
      // QEMU disk usage is not exported; a container's is.
      assertThat(rows(data, "qemu/101", "disk_used")).isEmpty();
      assertThat(rows(data, "lxc/200", "disk_used")).hasSize(1);
      // A stopped VM: static gauges only.
      assertThat(rows(data, "qemu/104", "cpu_current")).isEmpty();
      assertThat(rows(data, "qemu/104", "mem_total")).hasSize(1);
      // Shared storage is reported by every node that has it.
      assertThat(rows(data, "storage/pve1/ceph-vm", "disk_used")).hasSize(1);
      assertThat(rows(data, "storage/pve2/ceph-vm", "disk_used")).hasSize(1);
      assertThat(rows(data, "storage/ceph-vm", "disk_used")).isEmpty();
    }
  }

  @Test
  void needsSysAuditOnRootAndIsAbsentBefore84() {
    try (PveSimulator sim = start(PveVersion.V9_1, new SimClock(T0))) {
      SimClient vmOnly =
          SimClient.withToken(
              sim,
              sim.createToken(
                  "nimbus@pve", "vms", false, Acl.of("/vms", "nimbus@pve", Roles.PVE_AUDITOR)));
      var answer = vmOnly.get("/cluster/metrics/export");
      assertThat(answer.status()).isEqualTo(403);
      assertThat(answer.reason()).contains("Permission check failed (/, Sys.Audit)");
    }
    try (PveSimulator sim = start(PveVersion.V8_1, new SimClock(T0))) {
      assertThat(auditor(sim).get("/cluster/metrics/export").status()).isEqualTo(501);
    }
  }

  @Test
  void guestCountersRestartAtZeroAfterARebootAndAMigration() {
    SimClock clock = new SimClock(T0);
    try (PveSimulator sim = start(PveVersion.V9_1, clock)) {
      SimClient api = auditor(sim);
      long before = rows(exportNow(api), "qemu/101", "net_in").get(0).get("value").asLong();
      sim.admin().reboot(101, "root@pam");
      clock.advance(Duration.ofSeconds(30));
      JsonNode history =
          api.get("/cluster/metrics/export", Map.of("history", "1")).data().get("data");
      List<JsonNode> series = rows(history, "qemu/101", "net_in");
      long after = series.get(series.size() - 1).get("value").asLong();
      assertThat(after).isPositive().isLessThan(before);
      // The generation from before the reboot (12:00:00) still holds the old process's counter.
      assertThat(series.get(series.size() - 4).get("value").asLong()).isEqualTo(before);

      String target = sim.cluster().guest(101).node().equals("pve2") ? "pve3" : "pve2";
      sim.admin().migrateGuest(101, target, "root@pam");
      clock.advance(Duration.ofSeconds(10));
      long migrated = rows(exportNow(api), "qemu/101", "net_in").get(0).get("value").asLong();
      assertThat(migrated).isLessThan(after);
    }
  }

  private static JsonNode exportNow(SimClient api) {
    return api.get("/cluster/metrics/export").data().get("data");
  }
}
