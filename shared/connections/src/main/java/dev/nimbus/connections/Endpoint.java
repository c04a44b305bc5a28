package dev.nimbus.connections;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the Proxmox VE API answers: an HTTPS host (DNS name, IPv4 or IPv6 address, without
 * brackets), a port (Proxmox listens on 8006) and, behind a tunnel or reverse proxy that mounts the
 * API under a path, that path prefix (for example {@code /pve}).
 */
public record Endpoint(String host, int port, Optional<String> pathPrefix) {
  public static final int DEFAULT_PORT = 8006;

  public Endpoint {
    Objects.requireNonNull(host, "host");
    pathPrefix = pathPrefix == null ? Optional.empty() : pathPrefix;
  }

  /** Host on the default port, no prefix. */
  public static Endpoint of(String host) {
    return new Endpoint(host, DEFAULT_PORT, Optional.empty());
  }

  /** The API base, {@code https://host:port[/prefix]/api2/json}. */
  public URI apiBase() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("https://" + h + ":" + port + pathPrefix.orElse("") + "/api2/json");
  }
}
