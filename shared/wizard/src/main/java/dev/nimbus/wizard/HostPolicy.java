package dev.nimbus.wizard;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which hosts the wizard may connect to on a user's behalf. The function runs inside AWS, so a
 * user-given host could point it at the instance metadata service or at the account's private
 * network: cloud metadata and link-local addresses are refused always; loopback, private (RFC
 * 1918), shared (100.64/10) and unique-local IPv6 addresses only when the deployment's allow-list
 * ({@code WIZARD_ALLOWED_PRIVATE_CIDRS}) contains them, since many clusters are reached over a VPN.
 * Every address a name resolves to must pass, so a name that also resolves to a private address is
 * refused.
 *
 * <p>The check runs right before each connection (probe, check, mint, preview, save, re-pin). A DNS
 * answer that changes between this check and the JVM's own lookup (rebinding) is not caught here;
 * the JVM's DNS cache (30 s by default) narrows that window.
 */
public final class HostPolicy {
  private static final List<Cidr> ALWAYS_REFUSED =
      List.of(
          Cidr.parse("169.254.0.0/16"), // link-local, incl. 169.254.169.254 (metadata)
          Cidr.parse("fe80::/10"), // IPv6 link-local
          Cidr.parse("fd00:ec2::254/128"), // EC2 metadata over IPv6
          Cidr.parse("0.0.0.0/8"),
          Cidr.parse("224.0.0.0/4"),
          Cidr.parse("ff00::/8"),
          Cidr.parse("255.255.255.255/32"));
  private static final List<Cidr> PRIVATE =
      List.of(
          Cidr.parse("127.0.0.0/8"),
          Cidr.parse("::1/128"),
          Cidr.parse("10.0.0.0/8"),
          Cidr.parse("172.16.0.0/12"),
          Cidr.parse("192.168.0.0/16"),
          Cidr.parse("100.64.0.0/10"),
          Cidr.parse("fc00::/7"),
          Cidr.parse("198.18.0.0/15"));

  /** Resolves host names; a seam for tests. */
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final List<Cidr> allowedPrivate;
  private final Resolver resolver;

  public HostPolicy(List<Cidr> allowedPrivate, Resolver resolver) {
    this.allowedPrivate = List.copyOf(allowedPrivate);
    this.resolver = resolver;
  }

  /** From a comma-separated CIDR list (empty: no private address is allowed). */
  public static HostPolicy fromAllowList(String cidrs) {
    List<Cidr> allowed = new ArrayList<>();
    if (cidrs != null) {
      Arrays.stream(cidrs.split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .forEach(s -> allowed.add(Cidr.parse(s)));
    }
    return new HostPolicy(allowed, InetAddress::getAllByName);
  }

  public List<Cidr> allowedPrivate() {
    return allowedPrivate;
  }

  /**
   * Refuses {@code host} (reported as {@code field}) unless every address it resolves to may be
   * contacted.
   *
   * @throws WizardException POLICY (or UNREACHABLE when the name does not resolve)
   */
  public void check(String field, String host) {
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw WizardException.field(
          WizardException.Kind.UNREACHABLE, field, "'" + host + "' does not resolve (DNS)");
    }
    for (InetAddress a : addresses) {
      String why = refusal(a);
      if (why != null) {
        throw WizardException.field(
            WizardException.Kind.POLICY,
            field,
            "'" + host + "' resolves to " + a.getHostAddress() + ", " + why);
      }
    }
  }

  private String refusal(InetAddress a) {
    if (!(a instanceof Inet4Address) && !(a instanceof Inet6Address)) {
      return "which is not an IP address";
    }
    if (a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()) {
      return "a link-local, multicast or unspecified address, which is never contacted";
    }
    for (Cidr c : ALWAYS_REFUSED) {
      if (c.contains(a)) {
        return "a link-local or cloud metadata address, which is never contacted";
      }
    }
    for (Cidr c : PRIVATE) {
      if (c.contains(a)) {
        for (Cidr allowed : allowedPrivate) {
          if (allowed.contains(a)) {
            return null;
          }
        }
        return "a private or loopback address that this deployment's allow-list"
            + " (WIZARD_ALLOWED_PRIVATE_CIDRS) does not include";
      }
    }
    return null;
  }
}
