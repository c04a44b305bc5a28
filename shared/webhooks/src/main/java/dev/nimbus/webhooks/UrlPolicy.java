package dev.nimbus.webhooks;

import dev.nimbus.netpolicy.AddressPolicy;
import dev.nimbus.netpolicy.Cidr;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides whether a webhook may be called, so that a tenant cannot point Nimbus at the inside of
 * the network it runs in (SSRF). The address rules are shared/netpolicy {@link AddressPolicy}, the
 * one policy the wizard's Proxmox connections follow too; this class adds the URL rules. A URL must
 * be {@code https}, carry no credentials, and its host must resolve only to addresses the policy
 * allows: loopback only in local mode; private, shared (CGNAT), unique-local and reserved ranges
 * only when an explicitly allowed range covers them; cloud metadata endpoints, link-local,
 * unspecified and multicast addresses never.
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

  private final AddressPolicy addresses;
  private final Resolver resolver;

  /**
   * @param localMode allow loopback targets (the local run and tests), never in a deployment
   * @param allowed ranges that may be called although they are private (an on-premises receiver
   *     reached through a VPN, say); metadata addresses stay refused
   * @param resolver name resolution, normally {@link InetAddress#getAllByName}
   */
  public UrlPolicy(boolean localMode, List<Cidr> allowed, Resolver resolver) {
    this.addresses = new AddressPolicy(localMode, allowed);
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
    switch (addresses.judge(address)) {
      case ALLOWED -> {}
      case METADATA ->
          throw new WebhookUrlRejectedException(
              "webhook host "
                  + host
                  + " resolves to a cloud metadata address, which is never allowed");
      case LOOPBACK ->
          throw new WebhookUrlRejectedException(
              "webhook host "
                  + host
                  + " resolves to a loopback address (allowed in local mode only)");
      case NEVER, PRIVATE ->
          throw new WebhookUrlRejectedException(
              "webhook host "
                  + host
                  + " resolves to "
                  + address.getHostAddress()
                  + ", a private, link-local or reserved address; allow its range explicitly if it"
                  + " is meant");
    }
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
