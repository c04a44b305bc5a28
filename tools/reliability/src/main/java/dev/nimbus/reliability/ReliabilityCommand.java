package dev.nimbus.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * bin/reliability: measures the reliability figures of the README and prints them as a Markdown
 * report (also written to {@code --report}).
 */
public final class ReliabilityCommand {

  private ReliabilityCommand() {}

  /** The command line: {@code [--runs N] [--quick] [--report FILE]}. */
  record Options(int runs, boolean quick, Path report) {
    static Options parse(String... args) {
      int runs = 3;
      boolean quick = false;
      Path report = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--runs" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("--runs needs a number of runs per fault kind");
            }
            try {
              runs = Integer.parseInt(args[++i]);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--runs needs a whole number, got " + args[i]);
            }
            if (runs < 1) {
              throw new IllegalArgumentException("--runs must be at least 1");
            }
          }
          case "--quick" -> quick = true;
          case "--report" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("--report needs a file");
            }
            report = Path.of(args[++i]);
          }
          default ->
              throw new IllegalArgumentException(
                  "unknown option " + args[i] + "; usage: bin/reliability [--runs N] [--quick]");
        }
      }
      return new Options(runs, quick, report);
    }
  }

  public static void main(String[] args) throws IOException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    String report =
        "# Reliability, "
            + LocalDate.now(ZoneOffset.UTC)
            + "\n\nThe campaigns are not wired yet; the table-fault rows come from"
            + " TableFaultCampaign.\n";
    if (options.report() != null) {
      Files.createDirectories(options.report().toAbsolutePath().getParent());
      Files.writeString(options.report(), report);
    }
    System.out.print(report);
  }
}
