package dev.nimbus.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.usage.dynamodb.DynamoDbUsageRepository;
import dev.nimbus.usage.dynamodb.UsageSampleLeases;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One usage sample of a connection at a time, on the emulator's table: a second sample is refused
 * with the running one's end, a released or run-out lease is free, a sample whose lease ran out and
 * was taken cannot release the new holder's, and the lease item never reads as usage state.
 */
@ExtendWith(AwsEmulatorExtension.class)
class UsageSampleLeasesIT {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  private final AwsTestEnvironment aws;
  private final Fixtures.TestClock clock = new Fixtures.TestClock(T0);
  private final UsageSampleLeases leases;

  UsageSampleLeasesIT(AwsTestEnvironment aws) {
    this.aws = aws;
    this.leases = new UsageSampleLeases(aws.clients().dynamoDb(), aws.tableName(), clock);
  }

  @Test
  void aSecondSampleOfTheSameConnectionIsRefusedUntilTheFirstReleases() {
    ConnectionRef lab = new ConnectionRef("acme", "lease-one");
    ConnectionRef other = new ConnectionRef("acme", "lease-other");

    UsageSampleLeases.Outcome first = leases.acquire(lab, FIVE_MINUTES);
    assertThat(first).isInstanceOf(UsageSampleLeases.Lease.class);
    assertThat(leases.acquire(lab, FIVE_MINUTES))
        .isEqualTo(new UsageSampleLeases.Busy(T0.plus(FIVE_MINUTES)));
    // Other connections are not held up.
    try (var o = (UsageSampleLeases.Lease) leases.acquire(other, FIVE_MINUTES)) {
      assertThat(o).isNotNull();
    }

    assertThat(leases.runningUntil(lab)).contains(T0.plus(FIVE_MINUTES));

    ((UsageSampleLeases.Lease) first).close();
    assertThat(leases.runningUntil(lab)).isEmpty();
    try (var again = (UsageSampleLeases.Lease) leases.acquire(lab, FIVE_MINUTES)) {
      assertThat(again).isNotNull();
    }
  }

  @Test
  void aLeaseThatRanOutIsTakenAndItsOldHolderCannotReleaseTheNewOne() {
    ConnectionRef lab = new ConnectionRef("acme", "lease-crashed");
    var crashed = (UsageSampleLeases.Lease) leases.acquire(lab, FIVE_MINUTES);

    clock.now = T0.plus(FIVE_MINUTES).plusSeconds(1);
    assertThat(leases.runningUntil(lab)).as("a lease that ran out holds nothing").isEmpty();
    var next = leases.acquire(lab, FIVE_MINUTES);
    assertThat(next)
        .as("a crashed sample frees its connection when its lease runs out")
        .isInstanceOf(UsageSampleLeases.Lease.class);

    crashed.close(); // the slow first sample finishing late
    assertThat(leases.acquire(lab, FIVE_MINUTES))
        .as("still held by the second sample")
        .isEqualTo(new UsageSampleLeases.Busy(clock.now.plus(FIVE_MINUTES)));
    ((UsageSampleLeases.Lease) next).close();
  }

  @Test
  void theLeaseIsNotReadAsUsageState() {
    ConnectionRef lab = new ConnectionRef("acme", "lease-state");
    try (var held = (UsageSampleLeases.Lease) leases.acquire(lab, FIVE_MINUTES)) {
      assertThat(
              new DynamoDbUsageRepository(aws.clients().dynamoDb(), aws.tableName()).loadState(lab))
          .isEqualTo(UsageState.NONE);
    }
  }
}
