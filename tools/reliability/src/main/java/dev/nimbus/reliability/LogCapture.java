package dev.nimbus.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps everything this JVM prints to stdout and stderr while open (the functions log there, as in
 * Lambda, where CloudWatch Logs collects both), passing it through unless {@code quiet}.
 */
final class LogCapture implements AutoCloseable {
  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

  LogCapture(boolean quiet) {
    System.setOut(tee(quiet ? OutputStream.nullOutputStream() : originalOut));
    System.setErr(tee(quiet ? OutputStream.nullOutputStream() : originalErr));
  }

  private PrintStream tee(OutputStream through) {
    return new PrintStream(
        new OutputStream() {
          @Override
          public void write(int c) throws IOException {
            through.write(c);
            synchronized (kept) {
              kept.write(c);
            }
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            through.write(b, off, len);
            synchronized (kept) {
              kept.write(b, off, len);
            }
          }
        },
        true,
        StandardCharsets.UTF_8);
  }

  /** What was printed so far. */
  String text() {
    System.out.flush();
    System.err.flush();
    synchronized (kept) {
      return kept.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    System.out.flush();
    System.err.flush();
    System.setOut(originalOut);
    System.setErr(originalErr);
  }
}
