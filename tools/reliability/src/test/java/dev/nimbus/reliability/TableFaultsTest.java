package dev.nimbus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableFaultsTest {
  /** A row as TableFaultCampaign might shape it (its own names). */
  record FaultRow(
      String faultKind,
      int runs,
      long faultsInjected,
      long cisLost,
      long cisFalselyDeleted,
      long cisFalselyRewritten,
      long historyGapsOrDuplicates,
      long eventsLost,
      long eventsDoubled) {}

  @Test
  void rowsAreReadByTheirComponentNamesAndALossMissesTheTarget() throws Exception {
    List<TableFaults.Row> rows =
        TableFaults.rows(
            List.of(
                new FaultRow("throttling", 3, 40, 0, 0, 0, 0, 0, 0),
                new FaultRow("dropped after write", 3, 12, 0, 1, 0, 2, 0, 0)));

    TableFaults.Row clean = rows.getFirst();
    assertThat(clean.kind()).isEqualTo("throttling");
    assertThat(clean.runs()).isEqualTo(3);
    assertThat(clean.counts())
        .containsEntry("injected", 40L)
        .containsEntry("cisLost", 0L)
        .containsEntry("falseDeletes", 0L)
        .containsEntry("falseRewrites", 0L)
        .containsEntry("historyGaps", 0L)
        .containsEntry("eventsLost", 0L)
        .containsEntry("eventsDoubled", 0L);
    assertThat(clean.targetsMet()).isTrue();
    TableFaults.Row broken = rows.get(1);
    assertThat(broken.targetsMet()).isFalse();

    ReliabilityReport report =
        new ReliabilityReport(
            LocalDate.of(2026, 11, 30), "bin/reliability", rows, null, List.of(), List.of());
    assertThat(report.markdown())
        .contains(
            "| Table fault: dropped after write (12 injected, history gaps or duplicates 2) | 3"
                + " | 0 | 1 | 0 | 0 | 0 | - | - | **missed** |");
    assertThat(report.targetsMet()).isFalse();
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
            List.of());

    assertThat(report.markdown()).contains("the rows come from " + TableFaults.CAMPAIGN);
  }
}
