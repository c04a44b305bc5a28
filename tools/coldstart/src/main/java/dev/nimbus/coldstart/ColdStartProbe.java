package dev.nimbus.coldstart;

import dev.nimbus.aws.SnapStartPriming;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Runs inside a function's JVM, on a class path of jars only (the function's shaded jar, this
 * module's, and the Lambda runtime's core and serialization jars), and does what the Lambda runtime
 * does on a cold start: constructs {@link FunctionInvoker} (which starts the Spring context) and
 * hands it one event. It prints one line, {@value #MARKER} with the wall-clock instants of
 * "initialised" and "first event handled" and the answer, then exits.
 *
 * <p>With {@code --snapstart} it runs the function's registered {@link SnapStartPriming} hooks
 * between the two, as SnapStart does before taking the snapshot, so the first event shows what
 * priming buys.
 *
 * <p>Usage: {@code ColdStartProbe <function> <event.json> [--snapstart]}; {@code MAIN_CLASS} and
 * the function's variables come from the environment, as in Lambda.
 */
public final class ColdStartProbe {
  static final String MARKER = "NIMBUS-COLDSTART";

  private ColdStartProbe() {}

  public static void main(String[] args) throws Exception {
    String function = args[0];
    byte[] event = Files.readAllBytes(Path.of(args[1]));
    boolean snapStart = args.length > 2 && args[2].equals("--snapstart");

    FunctionInvoker invoker = new FunctionInvoker(function);
    Instant initialised = Instant.now();
    int primed = 0;
    if (snapStart) {
      // A JVM without CRaC cannot notify the global context; run the function's registered
      // priming hooks as SnapStart's checkpoint would.
      for (SnapStartPriming priming : SnapStartPriming.registered()) {
        priming.beforeCheckpoint(null);
        priming.afterRestore(null);
        primed++;
      }
    }
    Instant restored = Instant.now();
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    invoker.handleRequest(new ByteArrayInputStream(event), answer, null);
    Instant handled = Instant.now();
    // CPU time of the whole JVM (every thread) until now: less sensitive than wall time to other
    // processes on a shared machine.
    long cpu =
        ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1000).orElse(-1L);
    System.out.println(
        MARKER
            + " initialised="
            + micros(initialised)
            + " restored="
            + micros(restored)
            + " handled="
            + micros(handled)
            + " primed="
            + primed
            + " cpu="
            + cpu
            + " answer="
            + answer.toString(StandardCharsets.UTF_8).replace('\n', ' '));
    System.out.flush();
    // The Spring context leaves non-daemon threads; exiting also writes an AOT cache when asked.
    System.exit(0);
  }

  static long micros(Instant at) {
    return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
  }
}
