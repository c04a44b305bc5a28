package dev.nimbus.local;

import dev.nimbus.local.LocalOptions.UsageException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bin/discover}, the command: reads the command line, answers {@code --help}, {@code --stop}
 * and {@code --reset}, makes sure the background {@link EnvironmentProcess} runs, and hands over to
 * {@link LocalRun}. Exit code 0 when the run succeeded, 1 when it failed, 2 for a bad command line.
 */
public final class DiscoverCommand {
  private DiscoverCommand() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(Arrays.asList(args), EnvironmentProcess.localDir(), System.out, System.err);
    } catch (UsageException e) {
      System.err.println(e.getMessage());
      code = 2;
    } catch (RuntimeException e) {
      System.err.println("bin/discover failed: " + e);
      code = 1;
    }
    System.out.flush();
    // The handlers' Spring contexts leave non-daemon threads behind.
    System.exit(code);
  }

  /**
   * Runs the command with {@code out} for the summary (text) or the CIs (JSON) and {@code err} for
   * problems (and progress in JSON mode).
   *
   * @throws UsageException for a bad command line
   */
  static int run(List<String> args, Path dir, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(LocalOptions.USAGE);
      return 0;
    }
    LocalOptions options = LocalOptions.parse(args);
    PrintStream progress = options.output() == LocalOptions.Output.JSON ? err : out;
    if (options.stop()) {
      EnvironmentProcess.stop(dir, progress);
      return 0;
    }
    if (options.reset()) {
      EnvironmentProcess.stop(dir, progress);
      EnvironmentProcess.forget(dir);
    }
    EnvironmentInfo env = EnvironmentProcess.ensure(dir, args, options, progress);
    LocalRun.Result result =
        new LocalRun(env, options, out, err, System.getenv(), Clock.systemUTC()).run();
    return result.succeeded() ? 0 : 1;
  }
}
