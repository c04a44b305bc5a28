package dev.nimbus.reliability.tablefaults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.testing.aws.FaultKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stream function under table faults ({@link CiEventsScenario}): PutEvents, the webhook read
 * and the delivery queue's SendMessageBatch throttled, failed, held or dropped after they were
 * applied; every change the CMDB recorded reaches the bus and the delivery queue at least once, and
 * all copies of a change carry one event id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CiEventsUnderTableFaultsIT {
  private FaultBench bench;
  private CiEventsScenario scenario;

  @BeforeAll
  void start() {
    bench = FaultBench.create("events-faults");
    scenario = new CiEventsScenario(bench);
  }

  @AfterAll
  void stop() {
    if (scenario != null) {
      scenario.close();
    }
    if (bench != null) {
      bench.close();
    }
  }

  @ParameterizedTest
  @EnumSource(FaultKind.class)
  void everyChangeIsPublishedAtLeastOnceUnderOneEventId(FaultKind kind) {
    Tally t = scenario.run(kind, 2_000 + kind.ordinal());

    System.out.println("ci-events under " + kind + ": " + t);
    assertThat(t.faultsInjected()).as("faults injected").isGreaterThanOrEqualTo(3);
    assertThat(t.eventsLost()).isZero();
    assertThat(t.eventsDoubled()).isZero();
  }
}
