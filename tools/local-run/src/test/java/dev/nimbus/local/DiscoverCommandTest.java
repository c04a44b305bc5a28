package dev.nimbus.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's answers that need no environment: help, a bad command line, stop and reset. */
class DiscoverCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return DiscoverCommand.run(
        List.of(args),
        dir,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsTheUsageOnStdoutAndStartsNothing() {
    assertThat(run("--help")).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(LocalOptions.USAGE);
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void aSecretOnTheCommandLineIsRefusedBeforeAnythingStarts() {
    assertThatThrownBy(() -> run("--token-secret", "s3cr3t-value"))
        .isInstanceOf(LocalOptions.UsageException.class)
        .hasMessageNotContaining("s3cr3t-value");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void stopWithoutARunningEnvironmentSaysSo() {
    assertThat(run("--stop")).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).contains("no local environment is running");
  }

  @Test
  void stopInJsonModeKeepsStdoutEmpty() {
    assertThat(run("--stop", "--output", "json")).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no local environment is running");
  }

  @Test
  void theFilesOfAStoppedEnvironmentAreForgottenButItsLogStays() throws Exception {
    Files.writeString(dir.resolve(EnvironmentInfo.PID_FILE), "999999999");
    Files.writeString(dir.resolve(EnvironmentInfo.LOG_FILE), "old log");

    EnvironmentProcess.forget(dir);

    assertThat(dir.resolve(EnvironmentInfo.PID_FILE)).doesNotExist();
    assertThat(dir.resolve(EnvironmentInfo.LOG_FILE)).hasContent("old log");
  }
}
