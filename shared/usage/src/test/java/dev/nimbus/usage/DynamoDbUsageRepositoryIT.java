package dev.nimbus.usage;

import static dev.nimbus.usage.Fixtures.LAB;
import static dev.nimbus.usage.Fixtures.collection;
import static dev.nimbus.usage.Fixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.UsageSlice;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.usage.dynamodb.DynamoDbUsageRepository;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Usage on the emulator's table: written once per CI and hour, re-runs write nothing, exact. */
@ExtendWith(AwsEmulatorExtension.class)
class DynamoDbUsageRepositoryIT {
  private static final Instant H = Instant.parse("2026-03-02T10:00:00Z");
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
                  "rbd"));

  private final AwsTestEnvironment aws;
  private DynamoDbClient dynamo;
  private DynamoDbUsageRepository repo;
  private final Fixtures.TestClock clock = new Fixtures.TestClock(H);

  DynamoDbUsageRepositoryIT(AwsTestEnvironment aws) {
    this.aws = aws;
  }

  @BeforeEach
  void setUp() {
    dynamo = aws.clients().dynamoDb();
    repo = new DynamoDbUsageRepository(dynamo, aws.tableName());
  }

  @AfterEach
  void tearDown() {
    dynamo.close();
  }

  @Test
  void anHourIsWrittenOnceReRunsWriteNothingAndItPricesToTheCent() {
    UsageService service = new UsageService(repo, Duration.ofDays(400), clock);
    List<UsageSlice> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Instant s = H.plus(Duration.ofMinutes(5L * i));
      clock.now = s.plus(Duration.ofMinutes(5));
      UsageSlice slice = running("qemu/101", s, 300, 4, 0.25, 8, 6, 100, 1_000_000_000L, 0);
      all.add(slice);
      RecordResult r = service.record(LAB, collection(List.of(slice), clock.now), CMDB);
      assertThat(r.hoursWritten()).isEqualTo(i == 11 ? 1 : 0);
    }
    assertThat(repo.loadState(LAB).cursor()).isEqualTo(H.plusSeconds(3600));
    long writes = repo.writeRequests();
    RecordResult again = service.record(LAB, collection(all, H.plusSeconds(3600)), CMDB);
    assertThat(again.hoursWritten()).isZero();
    assertThat(repo.writeRequests()).isEqualTo(writes);

    HourlyUsage stored = repo.hoursOf(LAB, "qemu/101", H, H.plusSeconds(3600)).getFirst();
    assertThat(stored.coveredSeconds()).isEqualTo(3600);
    assertThat(stored.totals().vcpuHoursAllocated()).isEqualTo(4.0);
    assertThat(
            repo.rollups(
                "acme",
                DailyRollup.Dimension.COMPARTMENT,
                "prod",
                LocalDate.of(2026, 3, 2),
                LocalDate.of(2026, 3, 2)))
        .hasSize(1);

    clock.now = H.plus(Duration.ofHours(2));
    ShowbackService showback =
        new ShowbackService(repo, c -> c.equals(LAB), CMDB, Duration.ofDays(400), clock);
    showback.putRateCard(
        "acme",
        "lab",
        new RateCardInput(
            "EUR",
            new RateCardInput.RatesInput("0.0125", "0.004", Map.of("rbd", "0.08"), "0.01"),
            null,
            null));
    assertThat(repo.rateCard(LAB).orElseThrow().base().vcpuHour())
        .isEqualTo(new BigDecimal("0.0125"));
    Cost cost =
        showback
            .usageByCi("acme", "lab", "qemu/101", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z")
            .cost()
            .get("EUR");
    // 4 vCPU-h x 0.0125 + 8 GiB-h x 0.004 + 100 GB-h / 730 x 0.08 + 12 GB x 0.01
    assertThat(cost.total()).isEqualTo(new BigDecimal("0.21"));
    assertThat(
            showback
                .usageByCompartment("acme", "prod", "2026-03-02T00:00:00Z", "2026-03-02T12:00:00Z")
                .cost()
                .get("EUR")
                .total())
        .isEqualTo(new BigDecimal("0.21"));
  }

  @Test
  void aLargeStateIsPagedAndAShrunkOneLeavesNoStalePage() {
    List<HourlyUsage> open = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      UsageSlice s = running("qemu/" + (1000 + i), H, 300, 2, 0.5, 4, 3, 40, 10, 20);
      open.add(HourlyUsage.empty(LAB, s.nativeKey(), H).merge(s).usage());
    }
    UsageState big =
        new UsageState(
            H.plusSeconds(300),
            java.util.Set.of("ceph-vm"),
            H,
            open,
            Map.of(
                "qemu/1000",
                new dev.nimbus.model.CounterBaseline(
                    1_772_446_800L, 3600, 1e12, 2.5, Double.NaN, 7)));
    assertThat(repo.saveState(LAB, big)).isEqualTo(3);
    assertThat(repo.loadState(LAB)).isEqualTo(big);

    UsageState small =
        new UsageState(H.plusSeconds(600), java.util.Set.of("ceph-vm"), H, open.subList(0, 10));
    assertThat(repo.saveState(LAB, small)).as("one page written, two removed").isEqualTo(3);
    assertThat(repo.loadState(LAB)).isEqualTo(small);
  }
}
