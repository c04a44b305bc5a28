package dev.nimbus.usage;

import static dev.nimbus.usage.Fixtures.LAB;
import static dev.nimbus.usage.Fixtures.collection;
import static dev.nimbus.usage.Fixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.UsageSlice;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageServiceTest {
  private static final Instant H = Instant.parse("2026-03-02T10:00:00Z");

  private final Fixtures.TestClock clock = new Fixtures.TestClock(H);
  private final InMemoryUsageRepository repo = new InMemoryUsageRepository();
  private final UsageService service = new UsageService(repo, Duration.ofDays(400), clock);

  private static final CiDirectory CMDB =
      c ->
          Map.of(
              "qemu/101",
              new CiFacts(
                  "qemu/101",
                  CiFacts.Kind.GUEST,
                  "pve1",
                  CiFacts.withAncestors("prod/web"),
                  List.of("web"),
                  "rbd"),
              "qemu/103",
              new CiFacts(
                  "qemu/103",
                  CiFacts.Kind.GUEST,
                  "pve2",
                  CiFacts.withAncestors("prod/db"),
                  List.of("db"),
                  "rbd"));

  /** Five-minute samples of two guests from {@code from} for {@code samples} samples. */
  private List<RecordResult> sample(Instant from, int samples) {
    List<RecordResult> results = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      Instant s = from.plus(Duration.ofMinutes(5L * i));
      clock.now = s.plus(Duration.ofMinutes(5));
      results.add(
          service.record(
              LAB,
              collection(
                  List.of(
                      running("qemu/101", s, 300, 2, 0.5, 4, 3, 40, 1000, 2000),
                      running("qemu/103", s, 300, 4, 0.25, 8, 8, 80, 10, 20)),
                  clock.now),
              CMDB));
    }
    return results;
  }

  @Test
  void twelveSamplesOfAnHourWriteEachCiOnceWhenTheHourIsComplete() {
    List<RecordResult> results = sample(H, 12);
    // The first eleven samples keep the open hour in the state only.
    assertThat(results.subList(0, 11)).allMatch(r -> r.hoursWritten() == 0);
    assertThat(results.get(11).hoursWritten()).isEqualTo(2);
    HourlyUsage web = repo.hoursOf(LAB, "qemu/101", H, H.plusSeconds(3600)).getFirst();
    assertThat(web.coveredSeconds()).isEqualTo(3600);
    assertThat(web.totals().vcpuHoursAllocated()).isEqualTo(2.0);
    assertThat(web.totals().vcpuHoursUsed()).isEqualTo(1.0);
    assertThat(web.totals().networkInBytes()).isEqualTo(12_000);
    assertThat(web.totals().diskGbHoursUsed()).as("unknown, not 0").isNull();
    assertThat(repo.loadState(LAB).openHours()).isEmpty();
  }

  @Test
  void reRunningAnHourWritesNothingNew() {
    sample(H, 12);
    long writes = repo.writeRequests();
    // The same hour collected again (a backfill of a range already sampled).
    List<UsageSlice> again = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Instant s = H.plus(Duration.ofMinutes(5L * i));
      again.add(running("qemu/101", s, 300, 2, 0.5, 4, 3, 40, 1000, 2000));
      again.add(running("qemu/103", s, 300, 4, 0.25, 8, 8, 80, 10, 20));
    }
    RecordResult r = service.record(LAB, collection(again, H.plusSeconds(3600)), CMDB);

    assertThat(r.hoursWritten()).isZero();
    assertThat(r.rollupsWritten()).isZero();
    assertThat(r.slicesAlreadyCovered()).isEqualTo(24);
    assertThat(repo.writeRequests()).isEqualTo(writes);
  }

  @Test
  void anOutageLeftInAnHourIsFilledByALaterBackfillAndTheRollupMovesByTheDifference() {
    // 10:00-10:20 sampled, then nothing until 11:05 (the collector backfills later).
    sample(H, 4);
    clock.now = H.plus(Duration.ofMinutes(65));
    RecordResult jump =
        service.record(
            LAB,
            collection(
                List.of(running("qemu/101", H.plusSeconds(3600), 300, 2, 0.5, 4, 3, 40, 1, 1)),
                clock.now),
            CMDB);
    assertThat(jump.hoursWritten()).as("10:00 complete with a gap, 103 too").isEqualTo(2);
    assertThat(repo.hoursOf(LAB, "qemu/101", H, H.plusSeconds(1)).getFirst().coveredSeconds())
        .isEqualTo(1200);

    RecordResult backfill =
        service.record(
            LAB,
            collection(
                List.of(
                    running(
                        "qemu/101",
                        H.plus(Duration.ofMinutes(20)),
                        2400,
                        2,
                        0.5,
                        4,
                        3,
                        40,
                        8000,
                        0)),
                clock.now),
            CMDB);
    assertThat(backfill.hoursWritten()).isEqualTo(1);
    HourlyUsage web = repo.hoursOf(LAB, "qemu/101", H, H.plusSeconds(1)).getFirst();
    assertThat(web.coveredSeconds()).isEqualTo(3600);
    assertThat(web.totals().networkInBytes()).isEqualTo(4 * 1000 + 8000);
    DailyRollup prod =
        repo.rollups(
                "acme",
                DailyRollup.Dimension.COMPARTMENT,
                "prod/web",
                LocalDate.of(2026, 3, 2),
                LocalDate.of(2026, 3, 2))
            .getFirst();
    assertThat(prod.totals().vcpuHoursAllocated()).isEqualTo(2.0);
  }

  @Test
  void rollupsSumNestedPoolsIntoTheirParentsAndSplitByTagAndTenant() {
    sample(H, 12);
    LocalDate day = LocalDate.of(2026, 3, 2);
    double prod =
        repo.rollups("acme", DailyRollup.Dimension.COMPARTMENT, "prod", day, day).stream()
            .mapToDouble(r -> r.totals().vcpuHoursAllocated())
            .sum();
    double web =
        repo.rollups("acme", DailyRollup.Dimension.COMPARTMENT, "prod/web", day, day).stream()
            .mapToDouble(r -> r.totals().vcpuHoursAllocated())
            .sum();
    double tenant =
        repo.rollups("acme", DailyRollup.Dimension.TENANT, DailyRollup.ALL, day, day).stream()
            .mapToDouble(r -> r.totals().vcpuHoursAllocated())
            .sum();
    double db =
        repo.rollups("acme", DailyRollup.Dimension.TAG, "db", day, day).stream()
            .mapToDouble(r -> r.totals().vcpuHoursAllocated())
            .sum();
    assertThat(web).isEqualTo(2.0);
    assertThat(prod).isEqualTo(6.0);
    assertThat(tenant).isEqualTo(6.0);
    assertThat(db).isEqualTo(4.0);
  }
}
