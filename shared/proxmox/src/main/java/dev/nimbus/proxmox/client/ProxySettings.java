package dev.nimbus.proxmox.client;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.Objects;

/**
 * An optional proxy between the client and Proxmox: HTTP CONNECT (a forward proxy) or SOCKS5 (for
 * example the Tailscale Lambda extension). The proxy host name is resolved when connecting.
 */
public record ProxySettings(Type type, String host, int port) {
  /** The proxy protocol. */
  public enum Type {
    HTTP_CONNECT,
    SOCKS5
  }

  public ProxySettings {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("proxy port out of range: " + port);
    }
  }

  public static ProxySettings httpConnect(String host, int port) {
    return new ProxySettings(Type.HTTP_CONNECT, host, port);
  }

  public static ProxySettings socks5(String host, int port) {
    return new ProxySettings(Type.SOCKS5, host, port);
  }

  /** The JDK proxy: HTTP (CONNECT for https) or SOCKS (version 5 is the JDK default). */
  public Proxy toProxy() {
    InetSocketAddress address = InetSocketAddress.createUnresolved(host, port);
    return new Proxy(type == Type.HTTP_CONNECT ? Proxy.Type.HTTP : Proxy.Type.SOCKS, address);
  }
}
