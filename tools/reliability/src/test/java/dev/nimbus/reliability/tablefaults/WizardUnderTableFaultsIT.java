package dev.nimbus.reliability.tablefaults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.testing.aws.FaultKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The wizard's writes under table faults ({@link WizardScenario}): every create, change and token
 * replacement ends as a success (or a 409 on a resend whose first attempt was applied), with the
 * connection and its encrypted token stored together, each change stored once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WizardUnderTableFaultsIT {
  private FaultBench bench;
  private WizardScenario scenario;

  @BeforeAll
  void start() {
    bench = FaultBench.create("wizard-faults");
    scenario = new WizardScenario(bench);
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
  void noHalfWrittenItemAndEveryAnswerMatchesWhatWasStored(FaultKind kind) {
    Tally t = scenario.run(kind, 3_000 + kind.ordinal());

    System.out.println("wizard under " + kind + ": " + t);
    assertThat(t.faultsInjected()).as("faults injected").isGreaterThanOrEqualTo(3);
    assertThat(t.halfWritten()).isZero();
    assertThat(t.wrongAnswers()).isZero();
  }
}
