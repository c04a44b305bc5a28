package dev.nimbus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableFaultsTest {
  enum Kind {
    THROTTLING,
    DROPPED_AFTER_WRITE
  }

  /** A tally shaped as the table-fault campaign's (its own names), inside a row with its kind. */
  record Tally(
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
      int halfWritten,
      int wrongAnswers) {}

  record FaultRow(Kind kind, Tally tally) {}

  @Test
  void rowsAreReadByTheirComponentNamesAndALossMissesTheTarget() throws Exception {
    List<TableFaults.Row> rows =
        TableFaults.rows(
            List.of(
                new FaultRow(Kind.THROTTLING, new Tally(3, 40, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0)),
                new FaultRow(
                    Kind.DROPPED_AFTER_WRITE, new Tally(3, 12, 1, 0, 1, 0, 2, 0, 0, 0, 0, 0)),
                new FaultRow(Kind.THROTTLING, new Tally(3, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0))));

    TableFaults.Row clean = rows.getFirst();
    assertThat(clean.kind()).isEqualTo("THROTTLING");
    assertThat(clean.runs()).isEqualTo(3);
    assertThat(clean.counts())
        .containsEntry("injected", 40L)
        .containsEntry("cisLost", 0L)
        .containsEntry("falseDeletes", 0L)
        .containsEntry("falseRewrites", 0L)
        .containsEntry("historyGaps", 0L)
        .containsEntry("eventsLost", 0L)
        .containsEntry("eventsDoubled", 0L)
        .containsEntry("halfWritten", 0L)
        .containsEntry("wrongAnswers", 0L);
    // Allowed and reported, not a target: retried attempts, redeliveries with the same event id.
    assertThat(clean.other())
        .containsEntry("failedAttempts", 2L)
        .containsEntry("eventRedeliveries", 1L);
    assertThat(clean.targetsMet()).isTrue();
    assertThat(rows.get(1).targetsMet()).isFalse();
    assertThat(rows.get(2).targetsMet()).as("a half-written item").isFalse();

    ReliabilityReport report =
        new ReliabilityReport(
            LocalDate.of(2026, 11, 30), "bin/reliability", rows, null, List.of(), List.of(), 0);
    assertThat(report.markdown())
        .contains(
            "| Table fault: DROPPED_AFTER_WRITE (12 injected, history gaps or duplicates 2,"
                + " half-written items 0, wrong answers 0, failedAttempts 1, eventRedeliveries 0)"
                + " | 3 | 0 | 1 | 0 | 0 | 0 | - | - | **missed** |");
    assertThat(report.targetsMet()).isFalse();
  }

  /** The campaign's own row shape: flat, the kind as text, its own column names. */
  record FlatRow(
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
      int wrongAnswers) {}

  @Test
  void flatRowsWithTheCampaignsColumnNamesAreReadToo() throws Exception {
    List<TableFaults.Row> rows =
        TableFaults.rows(
            List.of(
                new FlatRow("TIMEOUT", 3, 18, 4, 0, 0, 0, 0, 0, 0, 2, 0, 0),
                new FlatRow("DROP_AFTER_APPLY", 3, 7, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0)));

    assertThat(rows.getFirst().kind()).isEqualTo("TIMEOUT");
    assertThat(rows.getFirst().counts())
        .containsEntry("injected", 18L)
        .containsEntry("halfWritten", 0L)
        .containsEntry("wrongAnswers", 0L);
    assertThat(rows.getFirst().targetsMet()).isTrue();
    assertThat(rows.get(1).targetsMet()).as("a half-written item").isFalse();
  }

  @Test
  void withoutTheCampaignClassTheReportSaysWhereTheRowsComeFrom() {
    ReliabilityReport report =
        new ReliabilityReport(
            LocalDate.of(2026, 11, 30),
            "bin/reliability",
            List.of(),
            "not on this build: the rows come from " + TableFaults.CAMPAIGN,
            List.of(),
            List.of(),
            0);

    assertThat(report.markdown()).contains("the rows come from " + TableFaults.CAMPAIGN);
  }
}
