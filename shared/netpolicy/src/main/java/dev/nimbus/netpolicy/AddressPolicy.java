package dev.nimbus.netpolicy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Which addresses Nimbus may connect to on a tenant's behalf. Nimbus runs inside AWS, so a
 * tenant-given host (a webhook URL, a Proxmox endpoint) could point it at the instance metadata
 * service or at the account's private network (SSRF). One policy for every such connection:
 *
 * <ul>
 *   <li>cloud metadata endpoints (169.254.169.254, 169.254.170.2, fd00:ec2::254): never;
 *   <li>link-local (169.254/16, fe80::/10), unspecified (0/8, ::), multicast and broadcast: never,
 *       whatever the allow-list says (nothing legitimate lives there);
 *   <li>loopback: only in local mode (the local run and tests) or when the allow-list covers it;
 *   <li>private (RFC 1918), shared (100.64/10), unique-local (fc00::/7), benchmarking,
 *       documentation and other reserved ranges: only when the deployment's allow-list covers them
 *       (clusters and receivers reached over a VPN);
 *   <li>everything else (public addresses): allowed.
 * </ul>
 *
 * IPv6 addresses that carry an IPv4 address (IPv4-compatible, NAT64 {@code 64:ff9b::/96}) are
 * judged by the IPv4 address inside. Callers check every address a name resolves to.
 */
public final class AddressPolicy {

  /** The policy's answer for one address. */
  public enum Verdict {
    ALLOWED,
    /** A cloud metadata endpoint: never. */
    METADATA,
    /** Link-local, unspecified, multicast or broadcast: never. */
    NEVER,
    /** Loopback, outside local mode and the allow-list. */
    LOOPBACK,
    /** Private, shared or reserved, outside the allow-list. */
    PRIVATE
  }

  private static final List<Cidr> METADATA =
      List.of(
          Cidr.parse("169.254.169.254/32"),
          Cidr.parse("169.254.170.2/32"),
          Cidr.parse("fd00:ec2::254/128"));

  private static final List<Cidr> NEVER =
      List.of(
          Cidr.parse("169.254.0.0/16"),
          Cidr.parse("fe80::/10"),
          Cidr.parse("0.0.0.0/8"),
          Cidr.parse("::/128"),
          Cidr.parse("224.0.0.0/4"),
          Cidr.parse("ff00::/8"),
          Cidr.parse("255.255.255.255/32"));

  private static final List<Cidr> LOOPBACK =
      List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));

  private static final List<Cidr> PRIVATE_OR_RESERVED =
      List.of(
          Cidr.parse("10.0.0.0/8"),
          Cidr.parse("100.64.0.0/10"),
          Cidr.parse("172.16.0.0/12"),
          Cidr.parse("192.0.0.0/24"),
          Cidr.parse("192.0.2.0/24"),
          Cidr.parse("192.168.0.0/16"),
          Cidr.parse("198.18.0.0/15"),
          Cidr.parse("198.51.100.0/24"),
          Cidr.parse("203.0.113.0/24"),
          Cidr.parse("240.0.0.0/4"),
          Cidr.parse("fc00::/7"),
          Cidr.parse("2001:db8::/32"));

  private final boolean localMode;
  private final List<Cidr> allowed;

  /**
   * @param localMode allow loopback (the local run and tests), never in a deployment
   * @param allowed ranges that may be reached although they are private or loopback; metadata,
   *     link-local, unspecified and multicast addresses stay refused
   */
  public AddressPolicy(boolean localMode, List<Cidr> allowed) {
    this.localMode = localMode;
    this.allowed = List.copyOf(allowed);
  }

  /** The allow-list. */
  public List<Cidr> allowed() {
    return allowed;
  }

  /** Judges one address. */
  public Verdict judge(InetAddress address) {
    InetAddress effective = embeddedIpv4(address);
    if (inAny(METADATA, effective) || inAny(METADATA, address)) {
      return Verdict.METADATA;
    }
    if (!(address instanceof Inet4Address) && !(address instanceof Inet6Address)) {
      return Verdict.NEVER;
    }
    if (inAny(NEVER, effective)
        || inAny(NEVER, address)
        || effective.isLinkLocalAddress()
        || effective.isMulticastAddress()
        || effective.isAnyLocalAddress()) {
      return Verdict.NEVER;
    }
    boolean explicitlyAllowed = inAny(allowed, effective) || inAny(allowed, address);
    if (inAny(LOOPBACK, effective)) {
      return localMode || explicitlyAllowed ? Verdict.ALLOWED : Verdict.LOOPBACK;
    }
    if (inAny(PRIVATE_OR_RESERVED, effective) || inAny(PRIVATE_OR_RESERVED, address)) {
      return explicitlyAllowed ? Verdict.ALLOWED : Verdict.PRIVATE;
    }
    return Verdict.ALLOWED;
  }

  /**
   * The IPv4 address carried inside an IPv6 one (IPv4-compatible {@code ::a.b.c.d} and the NAT64
   * prefix {@code 64:ff9b::/96}), else the address itself. IPv4-mapped addresses already come back
   * from the JDK as {@code Inet4Address}.
   */
  public static InetAddress embeddedIpv4(InetAddress address) {
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
}
