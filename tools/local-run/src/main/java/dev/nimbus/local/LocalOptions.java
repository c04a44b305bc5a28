package dev.nimbus.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The command line of {@code bin/discover}, shared by the local run and the environment it starts.
 *
 * <p>A Proxmox token secret is never accepted as an argument: arguments end up in shell history and
 * in every user's {@code ps} listing. It comes from {@code PROXMOX_TOKEN_SECRET} or a prompt.
 *
 * @param output how the result is printed
 * @param stop stop the background environment and exit
 * @param reset stop the environment, forget its state and start afresh
 * @param real the real Proxmox endpoint to discover, empty for the simulator
 * @param simulator the simulator to start when the environment starts
 */
public record LocalOptions(
    Output output, boolean stop, boolean reset, Optional<RealProxmox> real, Simulator simulator) {

  /** The environment variable a real token's secret is read from (else a prompt asks for it). */
  public static final String SECRET_VARIABLE = "PROXMOX_TOKEN_SECRET";

  private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}");
  private static final List<String> FLAGS = List.of("--stop", "--reset", "--help", "-h");
  private static final List<String> VALUED =
      List.of(
          "--output",
          "--endpoint",
          "--token-id",
          "--fingerprint",
          "--ca-file",
          "--name",
          "--version",
          "--nodes",
          "--guests");
  private static final List<String> SECRET_OPTIONS =
      List.of("--secret", "--token-secret", "--token-value", "--password", "--api-token");

  /** Text for people (progress and summary on stdout), or the CIs as JSON for other tools. */
  public enum Output {
    TEXT,
    JSON
  }

  /**
   * A real Proxmox VE endpoint.
   *
   * @param endpoint {@code https://host[:port][/prefix]}
   * @param tokenId {@code user@realm!name}
   * @param fingerprints pinned SHA-256 fingerprints by node name
   * @param caFile a CA certificate (PEM) instead of pins
   * @param name the connection id ({@code local/<name>})
   */
  public record RealProxmox(
      String endpoint,
      String tokenId,
      SortedMap<String, String> fingerprints,
      Optional<Path> caFile,
      String name) {
    public RealProxmox {
      fingerprints = Collections.unmodifiableSortedMap(new TreeMap<>(fingerprints));
    }
  }

  /**
   * The simulated cluster: the demo cluster unless nodes and guests are given.
   *
   * @param version a PVE version profile (7.4 to 9.1)
   */
  public record Simulator(String version, Optional<Integer> nodes, Optional<Integer> guests) {
    public static final String DEFAULT_VERSION = "9.1";
  }

  /** Thrown for a command line that cannot be run; the message says what to do instead. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }

  public static final String USAGE =
      """
      usage: bin/discover [--output text|json] [simulator options | real Proxmox options]
             bin/discover --stop | --reset

        --output json          print the discovered CIs as a JSON array on stdout (all else on stderr)
        --stop                 stop the background environment (AWS emulator and simulator)
        --reset                stop it, forget its state and run on a fresh environment
      simulator (used when the environment starts):
        --version V            Proxmox VE version profile, 7.4|8.0|8.1|8.4|9.0|9.1 (default 9.1)
        --nodes N --guests M   a generated cluster instead of the demo cluster
      real Proxmox (the secret comes from $PROXMOX_TOKEN_SECRET or a prompt, never an argument):
        --endpoint URL         https://pve1.example.com:8006
        --token-id ID          user@realm!tokenname, for example nimbus@pve!discovery
        --fingerprint FP       the node certificate's SHA-256 fingerprint (repeat as node=FP)
        --ca-file PEM          trust this CA certificate instead of pinning fingerprints
        --name NAME            the connection id, local/NAME (default: the host's first label)
      """;

  /** Parses the arguments of {@code bin/discover}. */
  public static LocalOptions parse(List<String> args) {
    Output output = Output.TEXT;
    boolean stop = false;
    boolean reset = false;
    String endpoint = null;
    String tokenId = null;
    String caFile = null;
    String name = null;
    TreeMap<String, String> fingerprints = new TreeMap<>();
    List<String> unnamedFingerprints = new ArrayList<>();
    String version = Simulator.DEFAULT_VERSION;
    Integer nodes = null;
    Integer guests = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String option = arg.contains("=") && arg.startsWith("--") ? arg.split("=", 2)[0] : arg;
      if (SECRET_OPTIONS.contains(option)) {
        throw new UsageException(
            option
                + " is not accepted: a secret on the command line ends up in shell history and in"
                + " the process list. Set "
                + SECRET_VARIABLE
                + " or let bin/discover prompt for it.");
      }
      String inline = arg.contains("=") && arg.startsWith("--") ? arg.split("=", 2)[1] : null;
      if (!FLAGS.contains(option) && !VALUED.contains(option)) {
        throw new UsageException("unknown option " + arg + "\n" + USAGE);
      }
      String value;
      if (FLAGS.contains(option)) {
        value = null;
      } else if (inline != null) {
        value = inline;
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException(option + " needs a value\n" + USAGE);
      }
      switch (option) {
        case "--output" ->
            output =
                switch (value.toLowerCase(Locale.ROOT)) {
                  case "text" -> Output.TEXT;
                  case "json" -> Output.JSON;
                  default -> throw new UsageException("--output is text or json, not " + value);
                };
        case "--stop" -> stop = true;
        case "--reset" -> reset = true;
        case "--endpoint" -> endpoint = value;
        case "--token-id" -> {
          if (value.contains("=")) {
            // PVEAPIToken=user@realm!name=SECRET: the part after '=' is the secret.
            throw new UsageException(
                "--token-id takes the id only (user@realm!name), without '=' and the secret; set "
                    + SECRET_VARIABLE
                    + " or let bin/discover prompt for the secret.");
          }
          tokenId = value;
        }
        case "--fingerprint" -> {
          int eq = value.indexOf('=');
          String node = eq < 0 ? null : value.substring(0, eq);
          String fp = eq < 0 ? value : value.substring(eq + 1);
          if (!FINGERPRINT.matcher(fp).matches()) {
            throw new UsageException(
                "--fingerprint "
                    + fp
                    + " is not a SHA-256 fingerprint (32 hex pairs separated by ':', as the"
                    + " node's Certificates panel shows it)");
          }
          if (node == null) {
            unnamedFingerprints.add(fp.toUpperCase(Locale.ROOT));
          } else {
            fingerprints.put(node, fp.toUpperCase(Locale.ROOT));
          }
        }
        case "--ca-file" -> caFile = value;
        case "--name" -> name = value;
        case "--version" -> version = value;
        case "--nodes" -> nodes = positive(option, value);
        case "--guests" -> guests = positive(option, value);
        case "--help", "-h" -> throw new UsageException(USAGE);
        default -> throw new UsageException("unknown option " + arg + "\n" + USAGE);
      }
    }
    if ((nodes == null) != (guests == null)) {
      throw new UsageException("--nodes and --guests go together");
    }
    Optional<RealProxmox> real = Optional.empty();
    if (endpoint != null || tokenId != null || !fingerprints.isEmpty() || caFile != null) {
      if (endpoint == null || tokenId == null) {
        throw new UsageException("a real Proxmox needs --endpoint and --token-id");
      }
      String host = hostOf(endpoint);
      if (unnamedFingerprints.size() > 1) {
        throw new UsageException("give several fingerprints as node=FP, one per node");
      }
      if (!unnamedFingerprints.isEmpty()) {
        fingerprints.put(nodeNameOf(host), unnamedFingerprints.getFirst());
      }
      if (fingerprints.isEmpty() && caFile == null) {
        throw new UsageException(
            "say how to verify the certificate: --fingerprint AA:BB:... (the node's SHA-256"
                + " fingerprint) or --ca-file pve-root-ca.pem; TLS is never skipped");
      }
      real =
          Optional.of(
              new RealProxmox(
                  endpoint,
                  tokenId,
                  fingerprints,
                  Optional.ofNullable(caFile).map(Path::of),
                  name == null ? connectionIdOf(host) : name));
    } else if (!unnamedFingerprints.isEmpty() || name != null) {
      throw new UsageException("--fingerprint and --name belong to a real Proxmox (--endpoint)");
    }
    return new LocalOptions(
        output,
        stop,
        reset,
        real,
        new Simulator(version, Optional.ofNullable(nodes), Optional.ofNullable(guests)));
  }

  /** The host of {@code https://host[:port]...}. */
  static String hostOf(String endpoint) {
    String rest = endpoint.replaceFirst("^(?i)https://", "");
    if (rest.equals(endpoint)) {
      throw new UsageException("--endpoint must start with https:// (" + endpoint + ")");
    }
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw new UsageException("--endpoint has an unclosed IPv6 bracket: " + endpoint);
      }
      return rest.substring(1, close);
    }
    return rest.split("[:/]", 2)[0];
  }

  /** A node name for a lone fingerprint: the host's first DNS label, or "pve" for an address. */
  static String nodeNameOf(String host) {
    if (host.matches("[0-9.]+") || host.contains(":")) {
      return "pve";
    }
    return host.split("\\.", 2)[0];
  }

  /** A connection id from a host: {@code pve1.example.com} gives {@code pve1}. */
  static String connectionIdOf(String host) {
    String base =
        host.matches("[0-9.]+") || host.contains(":")
            ? "pve-" + host.replaceAll("[^0-9A-Fa-f]+", "-")
            : host.split("\\.", 2)[0];
    String slug = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    slug = slug.replaceAll("^-+", "").replaceAll("-+$", "");
    return slug.isEmpty() ? "pve" : slug.substring(0, Math.min(63, slug.length()));
  }

  private static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " takes a positive number, not " + value);
  }
}
