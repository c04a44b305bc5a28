package dev.nimbus.local;

import dev.nimbus.connections.Connection;
import dev.nimbus.connections.ConnectionDraft;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.local.LocalOptions.RealProxmox;
import dev.nimbus.local.LocalOptions.UsageException;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A real Proxmox VE given on the command line, as a connection of the local tenant: registered the
 * first time with its token secret from {@code PROXMOX_TOKEN_SECRET} or a prompt without echo
 * (never from an argument), its settings updated when the command line changes them.
 */
final class RealConnection {
  private final String tenantId;
  private final Map<String, String> variables;
  private final PrintStream progress;

  RealConnection(String tenantId, Map<String, String> variables, PrintStream progress) {
    this.tenantId = tenantId;
    this.variables = variables;
    this.progress = progress;
  }

  /**
   * Registers a real Proxmox as {@code local/<name>} the first time (asking for the secret then),
   * and updates its settings when the command line changed them.
   */
  ConnectionRef register(ConnectionService connections, RealProxmox real) {
    ConnectionRef ref = new ConnectionRef(tenantId, real.name());
    ConnectionSettings settings = settingsOf(real);
    Optional<Connection> existing = connections.find(ref);
    if (existing.isEmpty()) {
      connections.create(
          ref.tenantId(),
          new ConnectionDraft(ref.connectionId(), settings, secret(real.tokenId()), Map.of()),
          LocalEnvironment.ACTOR);
      progress.printf("      registered %s; its token secret is stored KMS-encrypted only%n", ref);
    } else if (!existing.get().settings().equals(settings)) {
      connections.update(ref, existing.get().version(), settings, LocalEnvironment.ACTOR);
      progress.printf("      updated the settings of %s%n", ref);
    }
    return ref;
  }

  static ConnectionSettings settingsOf(RealProxmox real) {
    URI uri = URI.create(real.endpoint());
    String host = LocalOptions.hostOf(real.endpoint());
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    if (path.endsWith("/api2/json")) {
      path = path.substring(0, path.length() - "/api2/json".length());
    }
    TlsTrust tls;
    if (!real.fingerprints().isEmpty()) {
      tls = TlsTrust.pinned(real.fingerprints());
    } else {
      Path ca = real.caFile().orElseThrow();
      try {
        tls = TlsTrust.certificateAuthority(Files.readString(ca));
      } catch (IOException e) {
        throw new UsageException("cannot read --ca-file " + ca + ": " + e.getMessage());
      }
    }
    return new ConnectionSettings(
        "Proxmox VE " + host,
        new Endpoint(
            host,
            uri.getPort() < 0 ? Endpoint.DEFAULT_PORT : uri.getPort(),
            path.isEmpty() ? Optional.empty() : Optional.of(path)),
        Optional.empty(),
        tls,
        real.tokenId(),
        new DiscoveryScope.Everything(),
        "rate(15 minutes)");
  }

  /** The token secret from {@code PROXMOX_TOKEN_SECRET}, else from a prompt without echo. */
  private Secret secret(String tokenId) {
    String fromEnv = variables.get(LocalOptions.SECRET_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Secret.of(fromEnv.strip());
    }
    Console console = System.console();
    if (console == null) {
      throw new UsageException(
          "no token secret: set "
              + LocalOptions.SECRET_VARIABLE
              + " (there is no terminal to prompt on)");
    }
    char[] typed = console.readPassword("Secret of API token %s: ", tokenId);
    if (typed == null || typed.length == 0) {
      throw new UsageException("no token secret given");
    }
    try {
      return Secret.of(typed);
    } finally {
      Arrays.fill(typed, '\0');
    }
  }
}
