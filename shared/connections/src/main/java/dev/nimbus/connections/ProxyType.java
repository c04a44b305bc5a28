package dev.nimbus.connections;

/** How a tunnel proxy is spoken to: HTTP CONNECT or SOCKS5 (as a Tailscale extension offers). */
public enum ProxyType {
  HTTP,
  SOCKS5
}
