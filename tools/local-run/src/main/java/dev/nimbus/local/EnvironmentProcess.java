package dev.nimbus.local;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The background {@link LocalEnvironment} as an operating-system process of its own: started by the
 * first {@code bin/discover} (in a session of its own, so Ctrl-C on a run does not take it down),
 * found again through the files it writes in the local directory, stopped by {@code --stop}. It
 * shares this JVM's class path and receives the directory as {@code -Dnimbus.local.dir}, the one
 * system property of the local run.
 */
final class EnvironmentProcess {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private EnvironmentProcess() {}

  /** The directory of the environment's files, {@code .local} in the working directory. */
  static Path localDir() {
    return Path.of(System.getProperty("nimbus.local.dir", ".local")).toAbsolutePath();
  }

  /** The running environment, started in the background first when there is none. */
  static EnvironmentInfo ensure(
      Path dir, List<String> args, LocalOptions options, PrintStream progress) {
    Optional<EnvironmentInfo> running =
        EnvironmentInfo.read(dir).filter(EnvironmentInfo::processAlive);
    if (running.isPresent()) {
      warnIfDifferent(running.get(), options, progress);
      return running.get();
    }
    forget(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path log = dir.resolve(EnvironmentInfo.LOG_FILE);
    List<String> command = new ArrayList<>();
    // A session of its own, so Ctrl-C on a bin/discover does not take the environment down.
    findOnPath("setsid").ifPresent(command::add);
    command.addAll(
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-Xmx1g",
            "-cp",
            System.getProperty("java.class.path"),
            "-Dnimbus.local.dir=" + dir,
            LocalEnvironment.class.getName()));
    args.stream().filter(a -> !a.equals("--reset")).forEach(command::add);
    progress.printf(
        "      starting the local environment (AWS emulator%s); log: %s%n",
        options.real().isEmpty() ? ", Proxmox simulator" : "", log);
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the local environment", e);
    }
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      Optional<EnvironmentInfo> info =
          EnvironmentInfo.read(dir).filter(EnvironmentInfo::processAlive);
      if (info.isPresent()) {
        return info.get();
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the local environment exited with " + process.exitValue() + ":\n" + tail(log));
      }
      sleep(Duration.ofMillis(200));
    }
    process.destroy();
    throw new IllegalStateException(
        "the local environment did not start within " + START_TIMEOUT.toSeconds() + " s");
  }

  private static void warnIfDifferent(
      EnvironmentInfo running, LocalOptions options, PrintStream progress) {
    LocalOptions.Simulator wanted = options.simulator();
    running
        .simulatorInfo()
        .ifPresent(
            sim -> {
              boolean versionDiffers = !sim.version().startsWith(wanted.version());
              boolean sizeDiffers =
                  wanted.nodes().isPresent()
                      && (wanted.nodes().get() != sim.nodes()
                          || wanted.guests().orElseThrow() != sim.guests());
              if (options.real().isEmpty() && (versionDiffers || sizeDiffers)) {
                progress.printf(
                    "      note: the running simulator is PVE %s with %d nodes; simulator options"
                        + " apply when the environment starts (bin/discover --reset ...)%n",
                    sim.version(), sim.nodes());
              }
            });
  }

  /** Stops the environment process, if one runs. */
  static void stop(Path dir, PrintStream progress) {
    Optional<EnvironmentInfo> info = EnvironmentInfo.read(dir);
    Optional<ProcessHandle> process =
        info.flatMap(i -> ProcessHandle.of(i.pid())).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      progress.println("no local environment is running");
      return;
    }
    process.get().destroy();
    try {
      process.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.get().destroyForcibly();
    }
    progress.printf(
        "stopped the local environment (pid %d); its emulator state is gone%n", info.get().pid());
  }

  /** Removes the files of a stopped environment (not its log). */
  static void forget(Path dir) {
    for (String f :
        List.of(
            EnvironmentInfo.FILE,
            EnvironmentInfo.PID_FILE,
            EnvironmentInfo.ADMIN_TOKEN_FILE,
            EnvironmentInfo.CA_FILE)) {
      try {
        Files.deleteIfExists(dir.resolve(f));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static Optional<String> findOnPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isBlank() && Files.isExecutable(Path.of(d, name))) {
        return Optional.of(Path.of(d, name).toString());
      }
    }
    return Optional.empty();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
