package dev.nimbus.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void runsQuickAndReportAreReadAndBadValuesAreRefused() {
    ReliabilityCommand.Options o =
        ReliabilityCommand.Options.parse("--runs", "5", "--quick", "--report", "r.md");

    assertThat(o).isEqualTo(new ReliabilityCommand.Options(5, true, Path.of("r.md")));
    assertThat(ReliabilityCommand.perRoute(o)).isEqualTo(8);
    assertThat(ReliabilityCommand.Options.parse().runs()).isEqualTo(3);
    assertThat(ReliabilityCommand.perRoute(ReliabilityCommand.Options.parse())).isEqualTo(40);
    assertThatThrownBy(() -> ReliabilityCommand.Options.parse("--runs", "0"))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> ReliabilityCommand.Options.parse("--runs", "x"))
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> ReliabilityCommand.Options.parse("--fast"))
        .hasMessageContaining("unknown option --fast")
        .hasMessageContaining("usage: bin/reliability");
  }
}
