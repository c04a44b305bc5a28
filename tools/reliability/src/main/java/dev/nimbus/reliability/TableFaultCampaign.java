package dev.nimbus.reliability;

import dev.nimbus.reliability.tablefaults.CiEventsScenario;
import dev.nimbus.reliability.tablefaults.DiscoveryScenario;
import dev.nimbus.reliability.tablefaults.FaultBench;
import dev.nimbus.reliability.tablefaults.Tally;
import dev.nimbus.reliability.tablefaults.WizardScenario;
import dev.nimbus.testing.aws.FaultKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The table-fault rows of the reliability table: for each {@link FaultKind}, {@code runsPerFault}
 * runs of each scenario (discovery's first, changed and unchanged runs through the real handler; a
 * stream batch through the ci-events handler; the wizard's connection and webhook writes), all with
 * their AWS calls going through the fault-injecting proxy, each run with its own seed. The
 * invariants are those of the table-fault integration tests, counted instead of asserted.
 *
 * <p>Costs (on the emulator): about 30-60 s per fault kind and run, most of it moto's transactions
 * and the held answers of the timeout fault (3 s each, the attempt timeout).
 */
public final class TableFaultCampaign implements AutoCloseable {
  private final FaultBench bench;
  private final DiscoveryScenario discovery;
  private final CiEventsScenario ciEvents;
  private final WizardScenario wizard;

  public TableFaultCampaign() {
    bench = FaultBench.create("table-faults");
    discovery = new DiscoveryScenario(bench);
    ciEvents = new CiEventsScenario(bench);
    wizard = new WizardScenario(bench);
  }

  /**
   * One row of the table.
   *
   * @param kind the fault
   * @param runs scenario runs (each scenario counts one per run)
   * @param faultsInjected faults the proxy injected
   * @param failedAttempts invocations that failed under the faults and were run again
   * @param cisLost CIs missing against the fault-free reference
   * @param cisFalselyDeleted CIs deleted that the reference has live
   * @param cisFalselyRewritten CIs whose content, status or state id is wrong
   * @param historyGapsOrDuplicates CIs whose history state ids are not 1..n
   * @param eventsLost changes without a published event (or without a queued webhook delivery)
   * @param eventsDoubled changes published under more than one event id
   * @param eventRedeliveries copies of an event with the same id (at-least-once, allowed)
   * @param halfWrittenItems wizard items half there (connection without its encrypted token)
   * @param wrongAnswers wizard answers that disagree with what was stored
   */
  public record Row(
      String kind,
      int runs,
      long faultsInjected,
      int failedAttempts,
      int cisLost,
      int cisFalselyDeleted,
      int cisFalselyRewritten,
      int historyGapsOrDuplicates,
      int eventsLost,
      int eventsDoubled,
      int eventRedeliveries,
      int halfWrittenItems,
      int wrongAnswers) {

    static Row of(FaultKind kind, Tally t) {
      return new Row(
          kind.name(),
          t.runs(),
          t.faultsInjected(),
          t.failedAttempts(),
          t.cisLost(),
          t.cisFalselyDeleted(),
          t.cisFalselyRewritten(),
          t.historyGapsOrDuplicates(),
          t.eventsLost(),
          t.eventsDoubled(),
          t.eventRedeliveries(),
          t.halfWritten(),
          t.wrongAnswers());
    }
  }

  /** Every fault kind, {@code runsPerFault} runs of every scenario each. */
  public List<Row> run(int runsPerFault) {
    if (runsPerFault < 1) {
      throw new IllegalArgumentException("runsPerFault must be at least 1");
    }
    List<Row> rows = new ArrayList<>();
    for (FaultKind kind : FaultKind.values()) {
      Tally total = Tally.ZERO;
      for (int i = 0; i < runsPerFault; i++) {
        long seed = 7_919L * (kind.ordinal() + 1) + i;
        total = total.plus(discovery.run(kind, seed));
        total = total.plus(ciEvents.run(kind, seed));
        total = total.plus(wizard.run(kind, seed));
      }
      // A run of the campaign is one run of each scenario.
      rows.add(Row.of(kind, total.withRuns(runsPerFault)));
    }
    return rows;
  }

  @Override
  public void close() {
    wizard.close();
    ciEvents.close();
    discovery.close();
    bench.close();
  }
}
