package dev.nimbus.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The stored key formats: changing one orphans every item already written in it. */
class TableKeysTest {
  private static final Instant AT = Instant.parse("2026-11-26T08:00:00Z");

  @Test
  void everyItemTypesKeysKeepTheirStoredFormat() {
    assertThat(TableKeys.tenantPk("acme")).isEqualTo("TENANT#acme");
    assertThat(TableKeys.connectionSk("lab")).isEqualTo("CONN#lab");
    assertThat(TableKeys.auditSk("lab", AT, "1a2b3c4d"))
        .isEqualTo("AUDIT#lab#2026-11-26T08:00:00.000Z#1a2b3c4d");
    assertThat(TableKeys.dueSk(AT, "acme", "lab")).isEqualTo("2026-11-26T08:00:00Z#acme#lab");
    assertThat(TableKeys.webhookSk("ops")).isEqualTo("WEBHOOK#ops");
    assertThat(TableKeys.webhookFailureSk("ops", "e-1")).isEqualTo("WHFAIL#ops#e-1");
    assertThat(TableKeys.webhookFailurePrefix(null)).isEqualTo("WHFAIL#");
    assertThat(TableKeys.connectionPk("acme", "lab")).isEqualTo("CONN#acme#lab");
    assertThat(TableKeys.ciSk("qemu/101")).isEqualTo("CI#qemu/101");
    assertThat(TableKeys.runSk(AT)).isEqualTo("RUN#2026-11-26T08:00:00.000Z");
    assertThat(TableKeys.historyPk("acme", "lab", "ci-1f")).isEqualTo("CI#acme#lab#ci-1f");
    assertThat(TableKeys.historySk(12)).isEqualTo("S#000000000012");
    assertThat(TableKeys.typePk("acme", "COMPUTE")).isEqualTo("TENANT#acme#TYPE#COMPUTE");
    assertThat(TableKeys.compartmentPk("acme", "lab", "ci-9"))
        .isEqualTo("COMPARTMENT#acme#lab#ci-9");
    assertThat(TableKeys.ciIndexSk("lab", "qemu/101")).isEqualTo("CONN#lab#qemu/101");
  }

  @Test
  void timeKeysSortAsStringsAndDueBoundsIncludeTheWholeSecond() {
    assertThat(TableKeys.runSk(AT)).isLessThan(TableKeys.runSk(AT.plusMillis(500)));
    assertThat(TableKeys.dueSk(AT, "zz-tenant", "zz")).isLessThan(TableKeys.dueUpTo(AT));
    assertThat(TableKeys.dueUpTo(AT)).isLessThan(TableKeys.dueSk(AT.plusSeconds(1), "a", "a"));
  }

  @Test
  void anIdWithTheSeparatorIsRefusedSoTwoKeysCannotCollide() {
    assertThatThrownBy(() -> TableKeys.connectionPk("acme#lab", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TableKeys.historyPk("acme", "lab#x", "ci-1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
