package dev.nimbus.connections;

import java.util.Objects;

/** A proxy between the function and the Proxmox endpoint, for clusters reached through a tunnel. */
public record TunnelProxy(ProxyType type, String host, int port) {
  public TunnelProxy {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(host, "host");
  }
}
