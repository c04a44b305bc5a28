package dev.nimbus.reliability;

import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.badinput.BadRequests;
import dev.nimbus.testing.badinput.SecretLedger;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * bin/reliability: measures the reliability figures of the README's "Reliability" section and
 * prints them as Markdown (also written to {@code --report}): a discovery run through the real
 * function and the bad-input campaign on every route of the wizard's API, with every output of both
 * scanned for the secrets used ({@link DiscoveryScan}, {@link WizardCampaign}), and the table-fault
 * rows of {@link TableFaults}. Exits 1 when a target is missed.
 */
public final class ReliabilityCommand {

  static final String USAGE =
      """
      usage: bin/reliability [--runs N] [--quick]
        --runs N   runs per table-fault kind (default 3)
        --quick    8 bad requests per route instead of 40, one run per fault kind
      Prints the README's reliability table as Markdown and writes it to
      tools/reliability/target/reliability.md; exits 1 when a target is missed.""";

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
          case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
          case "--report" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("--report needs a file");
            }
            report = Path.of(args[++i]);
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
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
      boolean help = USAGE.equals(e.getMessage());
      (help ? System.out : System.err).println(e.getMessage());
      System.exit(help ? 0 : 2);
      return;
    }
    ReliabilityReport report = measure(options, System.err);
    String md = report.markdown();
    if (options.report() != null) {
      Path parent = options.report().toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(options.report(), md);
    }
    System.out.print(md);
    System.out.flush();
    // The figures are the product; a missed target is a failure a script or CI can see.
    System.exit(report.targetsMet() ? 0 : 1);
  }

  /** Bad inputs per route: enough for each broken field of the busiest routes to come up. */
  static int perRoute(Options options) {
    return options.quick() ? 8 : 40;
  }

  /** Runs the campaigns; progress goes to {@code progress}. */
  static ReliabilityReport measure(Options options, PrintStream progress) {
    SecretLedger secrets = new SecretLedger();
    SecretScan scan = new SecretScan(secrets);
    List<BadInputCampaign.RouteResult> routes;
    int runs = options.quick() ? 1 : options.runs();
    progress.println("starting the AWS emulator and a simulated cluster...");
    try (Emulated aws = Emulated.create("reliability");
        PveSimulator sim =
            PveSimulator.start(
                SimulatorConfig.demo()
                    .withVersion(PveVersion.V9_1)
                    .withAuthFailureDelay(Duration.ZERO))) {
      progress.println("discovery run through the real function, outputs scanned...");
      int cis = DiscoveryScan.run(aws, sim, secrets, scan);
      progress.println("  " + cis + " CIs stored");
      progress.printf(
          "bad input: %d requests to each of %d routes of the wizard's API...%n",
          perRoute(options), BadRequests.ROUTES.size());
      routes = WizardCampaign.run(aws, sim, perRoute(options), SEED, secrets, scan);
    }
    progress.println("table faults: " + runs + " run(s) per fault kind...");
    Optional<List<TableFaults.Row>> faults = TableFaults.run(runs);
    return new ReliabilityReport(
        LocalDate.now(ZoneOffset.UTC),
        "bin/reliability" + (options.quick() ? " --quick" : " --runs " + options.runs()),
        faults.orElse(List.of()),
        faults.isPresent() ? null : "not on this build: the rows come from " + TableFaults.CAMPAIGN,
        routes,
        scan.outputs(),
        secrets.size());
  }

  /** Fixed, so two runs on one build send the same requests. */
  static final long SEED = 20261130L;
}
