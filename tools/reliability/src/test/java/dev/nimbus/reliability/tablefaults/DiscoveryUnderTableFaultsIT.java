package dev.nimbus.reliability.tablefaults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.testing.aws.FaultKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Discovery through the real handler with its DynamoDB and KMS calls throttled, failed with 500s,
 * held past the attempt timeout or dropped after they were applied (see {@link DiscoveryScenario}):
 * a first, a changed and an unchanged run each end with the CIs of a fault-free reference run on
 * the same cluster state, every failed attempt lost, deleted and rewrote nothing, and every CI's
 * history is 1..n.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscoveryUnderTableFaultsIT {
  private FaultBench bench;
  private DiscoveryScenario scenario;

  @BeforeAll
  void start() {
    bench = FaultBench.create("discovery-faults");
    scenario = new DiscoveryScenario(bench);
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
  void noCiIsLostFalselyDeletedOrRewrittenAndHistoryStaysConsecutive(FaultKind kind) {
    Tally t = scenario.run(kind, 1_000 + kind.ordinal());

    System.out.println("discovery under " + kind + ": " + t);
    assertThat(t.faultsInjected()).as("faults injected in three runs").isGreaterThanOrEqualTo(3);
    assertThat(t.cisLost()).isZero();
    assertThat(t.cisFalselyDeleted()).isZero();
    assertThat(t.cisFalselyRewritten()).isZero();
    assertThat(t.historyGapsOrDuplicates()).isZero();
  }
}
