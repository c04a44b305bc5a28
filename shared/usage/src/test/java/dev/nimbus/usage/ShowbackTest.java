package dev.nimbus.usage;

import static dev.nimbus.usage.Fixtures.LAB;
import static dev.nimbus.usage.Fixtures.collection;
import static dev.nimbus.usage.Fixtures.running;
import static dev.nimbus.usage.Fixtures.stopped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.UsageSlice;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fixed fixture priced by hand, to the cent: ten hours of three guests on two nodes, one node in
 * a dearer class, one guest stopped.
 */
class ShowbackTest {
  private static final Instant H = Instant.parse("2026-03-02T00:00:00Z");
  private static final String FROM = "2026-03-02T00:00:00Z";
  private static final String TO = "2026-03-02T10:00:00Z";

  private final Fixtures.TestClock clock = new Fixtures.TestClock(H.plus(Duration.ofHours(11)));
  private final InMemoryUsageRepository repo = new InMemoryUsageRepository();
  private static final CiDirectory CMDB =
      c ->
          Map.of(
              "qemu/101",
                  new CiFacts(
                      "qemu/101",
                      CiFacts.Kind.GUEST,
                      "pve1",
                      List.of("prod"),
                      List.of("web"),
                      "rbd"),
              "qemu/102",
                  new CiFacts(
                      "qemu/102",
                      CiFacts.Kind.GUEST,
                      "pve2",
                      List.of("prod"),
                      List.of(),
                      "lvmthin"),
              "lxc/200",
                  new CiFacts(
                      "lxc/200", CiFacts.Kind.GUEST, "pve1", List.of("dev"), List.of(), "rbd"),
              "node/pve1", CiFacts.fromKey("node/pve1"),
              "node/pve2", CiFacts.fromKey("node/pve2"));
  private final ShowbackService showback =
      new ShowbackService(repo, c -> c.equals(LAB), CMDB, Duration.ofDays(400), clock);

  private static final RateCardInput CARD =
      new RateCardInput(
          "EUR",
          new RateCardInput.RatesInput(
              "0.0125", "0.004", Map.of("rbd", "0.08", "*", "0.05"), "0.01"),
          Map.of("pve2", "gpu"),
          Map.of("gpu", new RateCardInput.RatesInput("0.05", null, null, null)));

  @BeforeEach
  void tenHoursOfUsage() {
    List<UsageSlice> slices = new ArrayList<>();
    for (int h = 0; h < 10; h++) {
      Instant t = H.plus(Duration.ofHours(h));
      // 4 vCPUs at 25 %, 8 GiB (6 used), 100 GB, 2 GB in and 1 GB out per hour.
      slices.add(running("qemu/101", t, 3600, 4, 0.25, 8, 6, 100, 2_000_000_000L, 1_000_000_000L));
      // 2 vCPUs at 100 %, 8 GiB allocated but 10 GiB used (more than allocated), 50 GB.
      slices.add(running("qemu/102", t, 3600, 2, 1.0, 8, 10, 50, 0, 0));
      // Stopped: 20 GB of disk only.
      slices.add(stopped("lxc/200", t, 3600, 20));
      // Nodes: 16 vCPUs / 64 GiB and 8 vCPUs / 32 GiB of capacity.
      slices.add(running("node/pve1", t, 3600, 16, 0.3, 64, 20, 0, 0, 0));
      slices.add(running("node/pve2", t, 3600, 8, 0.3, 32, 20, 0, 0, 0));
    }
    new UsageService(repo, Duration.ofDays(400), clock)
        .record(LAB, collection(slices, H.plus(Duration.ofHours(10))), CMDB);
    showback.putRateCard("acme", "lab", CARD);
  }

  private static BigDecimal eur(String v) {
    return new BigDecimal(v);
  }

  @Test
  void aRunningGuestPaysAllocatedCpuAndMemoryItsDiskAndItsTraffic() {
    ShowbackReport r = showback.usageByCi("acme", "lab", "qemu/101", FROM, TO);
    Cost c = r.cost().get("EUR");
    assertThat(c.cpu()).isEqualTo(eur("0.50")); // 40 vCPU-h x 0.0125
    assertThat(c.memory()).isEqualTo(eur("0.32")); // 80 GiB-h x 0.004
    assertThat(c.disk()).isEqualTo(eur("0.11")); // 1000 GB-h / 730 x 0.08 = 0.1096
    assertThat(c.network()).isEqualTo(eur("0.30")); // 30 GB x 0.01
    assertThat(r.rows()).hasSize(10);
  }

  @Test
  void usedAboveAllocatedIsChargedAndANodeClassOverridesTheCpuRate() {
    Cost c = showback.usageByCi("acme", "lab", "qemu/102", FROM, TO).cost().get("EUR");
    assertThat(c.cpu()).isEqualTo(eur("1.00")); // 20 vCPU-h x 0.05 (gpu class)
    assertThat(c.memory()).isEqualTo(eur("0.40")); // max(80, 100) GiB-h x 0.004
    assertThat(c.disk()).isEqualTo(eur("0.03")); // 500 GB-h / 730 x 0.05 ('*') = 0.0342
    assertThat(c.total()).isEqualTo(eur("1.43"));
  }

  @Test
  void aStoppedGuestCostsItsStorageOnly() {
    Cost c = showback.usageByCi("acme", "lab", "lxc/200", FROM, TO).cost().get("EUR");
    assertThat(c.cpu()).isEqualByComparingTo("0");
    assertThat(c.memory()).isEqualByComparingTo("0");
    assertThat(c.disk()).isEqualTo(eur("0.02")); // 200 GB-h / 730 x 0.08 = 0.0219
  }

  @Test
  void idleCapacityIsCapacityMinusAllocationPricedAtTheNodesRates() {
    List<ShowbackService.IdleReport> idle = showback.idle("acme", "lab", FROM, TO);
    assertThat(idle).extracting(ShowbackService.IdleReport::node).containsExactly("pve1", "pve2");
    // pve1: (160 - 40) vCPU-h x 0.0125 + (640 - 80) GiB-h x 0.004; the stopped CT holds nothing.
    assertThat(idle.get(0).cost().total()).isEqualTo(eur("3.74"));
    // pve2 (gpu): (80 - 20) x 0.05 + (320 - 80) x 0.004
    assertThat(idle.get(1).cost().total()).isEqualTo(eur("3.96"));
  }

  @Test
  void tenantAndCompartmentRollupsArePricedPerNodeClassAndStorageType() {
    ShowbackReport tenant = showback.usageByTenant("acme", FROM, TO);
    // 1.229589 + 1.434247 + 0.021918, rounded once at the end.
    assertThat(tenant.cost().get("EUR").total()).isEqualTo(eur("2.69"));
    ShowbackReport prod = showback.usageByCompartment("acme", "prod", FROM, TO);
    assertThat(prod.cost().get("EUR").total()).isEqualTo(eur("2.66"));
    assertThat(showback.usageByTag("acme", "web", FROM, TO).cost().get("EUR").total())
        .isEqualTo(eur("1.23"));
  }

  @Test
  void badRateCardsAreRefusedFieldByFieldAndNothingIsWritten() {
    long writes = repo.writeRequests();
    RateCardInput bad =
        new RateCardInput(
            "EURO",
            new RateCardInput.RatesInput("-1", "abc", Map.of("rbd", "1e3"), null),
            Map.of("pve9", "missing"),
            Map.of());
    assertThatThrownBy(() -> showback.putRateCard("acme", "lab", bad))
        .isInstanceOfSatisfying(
            UsageValidationException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactlyInAnyOrder(
                        "currency",
                        "base.vcpuHour",
                        "base.memoryGibHour",
                        "base.storageGbMonth.rbd",
                        "base.networkGb",
                        "nodeClasses.pve9"));
    assertThatThrownBy(() -> showback.putRateCard("acme", "nope", CARD))
        .isInstanceOfSatisfying(
            UsageValidationException.class, e -> assertThat(e.unknownConnection()).isTrue());
    assertThat(repo.writeRequests()).isEqualTo(writes);
    assertThat(repo.rateCard(LAB).orElseThrow().base().vcpuHour()).isEqualTo(eur("0.0125"));
  }

  @Test
  void rangesInTheFutureLongerThanTheRetentionOrMalformedAreRefused() {
    assertThat(
            errors(
                () ->
                    showback.usageByCi(
                        "acme", "lab", "qemu/101", "2027-01-01T00:00:00Z", "2027-01-02T00:00:00Z")))
        .contains("from", "to");
    assertThat(errors(() -> showback.usageByTenant("acme", "2024-01-01T00:00:00Z", TO)))
        .containsExactly("to");
    assertThat(errors(() -> showback.usageByCompartment("acme", "prod", "yesterday", TO)))
        .containsExactly("from");
    assertThat(errors(() -> showback.usageByCi("acme", "other", "qemu/101", FROM, TO)))
        .containsExactly("connectionId");
    assertThat(errors(() -> showback.usageByCi("acme", "lab", "qemu/101", TO, FROM)))
        .containsExactly("to");
  }

  private static List<String> errors(Runnable call) {
    try {
      call.run();
    } catch (UsageValidationException e) {
      return e.errors().stream().map(FieldError::field).toList();
    }
    throw new AssertionError("no validation error");
  }

  @Test
  void aConnectionWithoutARateCardShowsUsageButNoCost() {
    ConnectionRef other = new ConnectionRef("acme", "lab2");
    ShowbackService s = new ShowbackService(repo, c -> true, CMDB, Duration.ofDays(400), clock);
    ShowbackReport r = s.usageByCi("acme", "lab2", "qemu/101", FROM, TO);
    assertThat(r.cost()).isEmpty();
    assertThat(r.unpricedConnections()).containsExactly(other.connectionId());
  }
}
