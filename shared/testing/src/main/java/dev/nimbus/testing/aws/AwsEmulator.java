package dev.nimbus.testing.aws;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Chooses and starts the one AWS emulator of this JVM, lazily, on first use:
 *
 * <ol>
 *   <li>{@code AWS_ENDPOINT_URL} (environment) or {@code aws.endpointUrl} (system property) when
 *       set: used as is;
 *   <li>else LocalStack ({@value #LOCALSTACK_IMAGE}) through Testcontainers when a Docker engine
 *       answers;
 *   <li>else {@code moto_server} from the PATH, started on a free loopback port and stopped when
 *       the JVM exits.
 * </ol>
 *
 * When none is available this fails with a message that says what to install: tests that need AWS
 * must never pass or skip silently.
 */
public final class AwsEmulator {
  /** Later tags need an auth token (since 2026-03); 4.14.0 is the last that runs without one. */
  public static final String LOCALSTACK_IMAGE = "localstack/localstack:4.14.0";

  public static final String REGION = "us-east-1";

  private static final Duration MOTO_START_TIMEOUT = Duration.ofSeconds(60);
  private static volatile AwsBackend backend;
  private static volatile RuntimeException startFailure;

  private AwsEmulator() {}

  /** The backend of this JVM, started on first call. */
  public static AwsBackend backend() {
    AwsBackend b = backend;
    if (b != null) {
      return b;
    }
    synchronized (AwsEmulator.class) {
      if (backend == null) {
        if (startFailure != null) {
          throw startFailure;
        }
        try {
          backend = start(System.getenv(), LocalStack::dockerAnswers);
        } catch (RuntimeException e) {
          startFailure = e;
          throw e;
        }
      }
      return backend;
    }
  }

  /**
   * Chooses and starts a backend from the given environment. {@code NIMBUS_TRY_DOCKER=false} skips
   * the Docker probe (useful where a Docker client is installed but its engine is slow to refuse).
   */
  static AwsBackend start(Map<String, String> env, BooleanSupplier dockerAnswers) {
    Optional<String> explicit =
        Optional.ofNullable(System.getProperty("aws.endpointUrl"))
            .or(() -> Optional.ofNullable(env.get("AWS_ENDPOINT_URL")))
            .filter(s -> !s.isBlank());
    if (explicit.isPresent()) {
      return new AwsBackend(AwsBackend.Kind.EXTERNAL, URI.create(explicit.get()), REGION);
    }
    if (!"false".equalsIgnoreCase(env.get("NIMBUS_TRY_DOCKER")) && dockerAnswers.getAsBoolean()) {
      return LocalStack.start(LOCALSTACK_IMAGE, REGION);
    }
    Optional<Path> moto = findOnPath(env.getOrDefault("PATH", ""), "moto_server");
    if (moto.isPresent()) {
      return startMoto(moto.get());
    }
    throw new IllegalStateException(
        "No AWS emulator for the integration tests (*IT). Do one of: set AWS_ENDPOINT_URL to a"
            + " running emulator; start a Docker engine so Testcontainers can run "
            + LOCALSTACK_IMAGE
            + "; or install moto's server (Python: pip install 'moto[server]', which provides"
            + " moto_server on the PATH).");
  }

  private static AwsBackend startMoto(Path executable) {
    int port = freePort();
    try {
      Path log = Files.createTempFile("moto-server-", ".log");
      Process process =
          new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    process.destroy();
                    try {
                      process.waitFor();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  "moto-server-stop"));
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      waitUntilReady(endpoint, process, log);
      return new AwsBackend(AwsBackend.Kind.MOTO, endpoint, REGION);
    } catch (IOException e) {
      throw new IllegalStateException("could not start moto_server: " + e.getMessage(), e);
    }
  }

  private static void waitUntilReady(URI endpoint, Process process, Path log) throws IOException {
    Instant deadline = Instant.now().plus(MOTO_START_TIMEOUT);
    URI probe = endpoint.resolve("/moto-api/");
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "moto_server exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) probe.toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        if (c.getResponseCode() < 500) {
          c.disconnect();
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for moto_server", e);
      }
    }
    process.destroy();
    throw new IllegalStateException(
        "moto_server did not answer within " + MOTO_START_TIMEOUT.toSeconds() + " s");
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

  static Optional<Path> findOnPath(String path, String name) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Environment variables a child process (for example the local run) needs to use the backend. */
  public static Map<String, String> environmentFor(AwsBackend b) {
    return Map.of(
        "AWS_ENDPOINT_URL",
        b.endpoint().toString(),
        "AWS_REGION",
        b.region(),
        "AWS_ACCESS_KEY_ID",
        "test",
        "AWS_SECRET_ACCESS_KEY",
        "test");
  }
}
