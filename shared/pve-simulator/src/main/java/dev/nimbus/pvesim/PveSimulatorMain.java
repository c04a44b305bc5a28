package dev.nimbus.pvesim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a simulator on its own: {@code --nodes 3 --guests 40 --version 9.1 --seed 42 --port 8006
 * --latency-ms 0} (without --nodes/--guests: the demo cluster; {@code --standalone pve}: one node
 * outside any cluster). Prints the URL, a token and the fingerprints, then serves until killed. A
 * line {@code stats} on standard input answers {@code stats: requests=<n> tls-handshakes=<n>}, so a
 * process that started it (the benchmark) can count what a run cost the server.
 */
public final class PveSimulatorMain {
  private PveSimulatorMain() {}

  public static void main(String[] args) throws Exception {
    PveSimulator sim = run(args, System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
    Thread.ofPlatform()
        .daemon()
        .name("pvesim-commands")
        .start(() -> commands(sim, System.in, System.out));
    new CountDownLatch(1).await();
  }

  /**
   * Answers commands read line by line until the input ends (then the simulator keeps serving):
   * {@code stats} prints the counters; anything else prints {@code unknown command}.
   */
  static void commands(PveSimulator sim, InputStream in, PrintStream out) {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.strip().equals("stats")) {
          out.println(
              "stats: requests=" + sim.requestCount() + " tls-handshakes=" + sim.tlsHandshakes());
        } else if (!line.isBlank()) {
          out.println("unknown command: " + line.strip() + " (known: stats)");
        }
        out.flush();
      }
    } catch (IOException e) {
      // standard input closed: nothing more to answer
    }
  }

  /** Starts the simulator described by {@code args} and prints how to reach it. */
  static PveSimulator run(String[] args, PrintStream out) throws Exception {
    SimulatorConfig config = SimulatorConfig.demo().withAuthFailureDelay(Duration.ofSeconds(3));
    Integer nodes = null;
    int guests = 40;
    String tokenUser = "nimbus@pve";
    String standalone = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(value);
        case "--guests" -> guests = Integer.parseInt(value);
        case "--version" -> config = config.withVersion(PveVersion.parse(value));
        case "--seed" -> config = config.withSeed(Long.parseLong(value));
        case "--port" -> config = config.withPort(Integer.parseInt(value));
        case "--latency-ms" ->
            config = config.withLatency(Duration.ofMillis(Long.parseLong(value)));
        case "--auth-delay-ms" ->
            config = config.withAuthFailureDelay(Duration.ofMillis(Long.parseLong(value)));
        case "--token-user" -> tokenUser = value;
        case "--standalone" -> standalone = value;
        case "--help", "-h" -> {
          out.println(
              "usage: PveSimulatorMain [--nodes N --guests M | --standalone NODE]"
                  + " [--version 7.4|8.x|9.1] [--seed S]"
                  + " [--port P] [--latency-ms L] [--auth-delay-ms D] [--token-user user@pve]");
          return null;
        }
        default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
      }
      i++;
    }
    if (nodes != null && standalone != null) {
      throw new IllegalArgumentException("--standalone is one node: no --nodes with it");
    }
    if (nodes != null) {
      config = config.withLayout(new ScaleGenerator(nodes, guests));
    }
    if (standalone != null) {
      config = config.withLayout(new StandaloneNode(standalone)).withClusterName(standalone);
    }
    PveSimulator sim = PveSimulator.start(config);
    ApiToken token = sim.createToken(tokenUser, "discovery", Roles.PVE_AUDITOR, true);
    Path ca = Files.createTempFile("pve-root-ca", ".pem");
    ca.toFile().deleteOnExit();
    sim.writeCaCertificate(ca);
    out.println(
        "Proxmox VE simulator "
            + config.version().version()
            + " ("
            + sim.cluster().nodes().size()
            + " nodes, "
            + sim.cluster().guests().size()
            + " guests, seed "
            + config.seed()
            + ")");
    out.println("url:         " + sim.baseUri());
    out.println("token id:    " + token.fullId());
    // A demo simulator prints its own generated token on purpose: there is nothing real behind it.
    out.println("token value: " + token.secret());
    out.println("ca:          " + ca);
    for (Node n : sim.cluster().nodes()) {
      out.println(
          "fingerprint: "
              + n.name()
              + " "
              + sim.fingerprint(n.name())
              + " "
              + sim.baseUri(n.name()));
    }
    out.flush();
    return sim;
  }
}
