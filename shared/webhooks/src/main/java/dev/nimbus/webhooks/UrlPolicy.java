package dev.nimbus.webhooks;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides whether a webhook may be called, so that a tenant cannot point Nimbus at the inside of
 * the network it runs in (SSRF). A URL must be {@code https}, carry no credentials, and its host
 * must resolve only to public addresses: loopback is refused unless in local mode; private, shared
 * (CGNAT), link-local, unique-local, multicast and reserved ranges are refused unless an explicitly
 * allowed range covers them; cloud metadata endpoints (169.254.169.254, 169.254.170.2,
 * fd00:ec2::254) are refused always.
 *
 * <p>The check returns the addresses it approved and the caller connects to exactly those ({@link
 * HttpsPoster}), so a DNS answer that changes between check and connect (DNS rebinding) cannot
 * redirect the call.
 */
public final class UrlPolicy {

  /** Name resolution, replaceable in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A URL that passed the check, with the addresses it may be reached at. */
  public record Target(
      URI url, String host, int port, String pathAndQuery, List<InetAddress> addresses) {
    public Target {
      addresses = List.copyOf(addresses);
    }
  }

  private static final List<Cidr> METADATA =
      List.of(
          Cidr.parse("169.254.169.254/32"),
          Cidr.parse("169.254.170.2/32"),
          Cidr.parse("fd00:ec2::254/128"));

  private static final List<Cidr> LOOPBACK =
      List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));

  private static final List<Cidr> FORBIDDEN =
      List.of(
          Cidr.parse("0.0.0.0/8"),
          Cidr.parse("10.0.0.0/8"),
          Cidr.parse("100.64.0.0/10"),
          Cidr.parse("169.254.0.0/16"),
          Cidr.parse("172.16.0.0/12"),
          Cidr.parse("192.0.0.0/24"),
          Cidr.parse("192.0.2.0/24"),
          Cidr.parse("192.168.0.0/16"),
          Cidr.parse("198.18.0.0/15"),
          Cidr.parse("198.51.100.0/24"),
          Cidr.parse("203.0.113.0/24"),
          Cidr.parse("224.0.0.0/4"),
          Cidr.parse("240.0.0.0/4"),
          Cidr.parse("::/128"),
          Cidr.parse("fc00::/7"),
          Cidr.parse("fe80::/10"),
          Cidr.parse("ff00::/8"),
          Cidr.parse("2001:db8::/32"));

  private final boolean localMode;
  private final List<Cidr> allowed;
  private final Resolver resolver;

  /**
   * @param localMode allow loopback targets (the local run and tests), never in a deployment
   * @param allowed ranges that may be called although they are private (an on-premises receiver
   *     reached through a VPN, say); metadata addresses stay refused
   * @param resolver name resolution, normally {@link InetAddress#getAllByName}
   */
  public UrlPolicy(boolean localMode, List<Cidr> allowed, Resolver resolver) {
    this.localMode = localMode;
    this.allowed = List.copyOf(allowed);
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /** The production policy: system DNS. */
  public static UrlPolicy of(boolean localMode, List<Cidr> allowed) {
    return new UrlPolicy(localMode, allowed, InetAddress::getAllByName);
  }

  /**
   * Checks the URL and resolves its host.
   *
   * @throws WebhookUrlRejectedException when the URL or any address it resolves to is refused
   */
  public Target check(URI url) {
    Objects.requireNonNull(url, "url");
    if (!url.isAbsolute() || !"https".equals(url.getScheme().toLowerCase(Locale.ROOT))) {
      throw new WebhookUrlRejectedException("webhook URLs must use https: " + safe(url));
    }
    if (url.getRawUserInfo() != null) {
      throw new WebhookUrlRejectedException(
          "webhook URLs must not carry credentials; use the signing secret instead");
    }
    String host = url.getHost();
    if (host == null || host.isBlank()) {
      throw new WebhookUrlRejectedException("webhook URL has no host: " + safe(url));
    }
    String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    int port = url.getPort() == -1 ? 443 : url.getPort();
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(bareHost);
    } catch (UnknownHostException e) {
      throw new WebhookUrlRejectedException("webhook host does not resolve: " + bareHost);
    }
    if (addresses == null || addresses.length == 0) {
      throw new WebhookUrlRejectedException("webhook host does not resolve: " + bareHost);
    }
    for (InetAddress address : addresses) {
      refuseIfForbidden(bareHost, address);
    }
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String pathAndQuery = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    return new Target(url, bareHost, port, pathAndQuery, Arrays.asList(addresses));
  }

  private void refuseIfForbidden(String host, InetAddress address) {
    InetAddress effective = embeddedIpv4(address);
    if (inAny(METADATA, effective) || inAny(METADATA, address)) {
      throw new WebhookUrlRejectedException(
          "webhook host " + host + " resolves to a cloud metadata address, which is never allowed");
    }
    if (inAny(LOOPBACK, effective)) {
      if (localMode) {
        return;
      }
      throw new WebhookUrlRejectedException(
          "webhook host " + host + " resolves to a loopback address (allowed in local mode only)");
    }
    if ((inAny(FORBIDDEN, effective) || inAny(FORBIDDEN, address))
        && !inAny(allowed, effective)
        && !inAny(allowed, address)) {
      throw new WebhookUrlRejectedException(
          "webhook host "
              + host
              + " resolves to "
              + address.getHostAddress()
              + ", a private, link-local or reserved address; allow its range explicitly if it is"
              + " meant");
    }
  }

  /**
   * The IPv4 address carried inside an IPv6 one (IPv4-compatible {@code ::a.b.c.d} and the NAT64
   * prefix {@code 64:ff9b::/96}), else the address itself. IPv4-mapped addresses already come back
   * from the JDK as {@code Inet4Address}.
   */
  static InetAddress embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] b = address.getAddress();
    boolean compatible = true;
    for (int i = 0; i < 12; i++) {
      compatible &= b[i] == 0;
    }
    boolean nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = b[i] == 0;
    }
    if ((compatible && !(b[12] == 0 && b[13] == 0 && b[14] == 0)) || nat64) {
      try {
        return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
      } catch (UnknownHostException e) {
        throw new IllegalStateException("four bytes are always an IPv4 address", e);
      }
    }
    return address;
  }

  private static boolean inAny(List<Cidr> ranges, InetAddress address) {
    for (Cidr range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The URL without its query, which may carry a receiver's token. */
  static String safe(URI url) {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() == -1 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }
}
