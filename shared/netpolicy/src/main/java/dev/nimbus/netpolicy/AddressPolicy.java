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
 * service, a container credential endpoint or the account's private network (SSRF). One policy for
 * every such connection, built from the IANA IPv4 and IPv6 special-purpose address registries (the
 * table with each range's RFC is in this module's README):
 *
 * <ul>
 *   <li>cloud metadata and credential endpoints (169.254.169.254, 169.254.170.2, 169.254.170.23,
 *       fd00:ec2::254, fd00:ec2::23): never;
 *   <li>ranges nothing legitimate can be reached at (link-local, "this network" 0/8, unspecified,
 *       multicast, limited broadcast, deprecated site-local fec0::/10, discard-only 100::/64,
 *       local-use NAT64 64:ff9b:1::/48, deprecated IPv4-compatible ::/96, IPv6 outside the global
 *       unicast 2000::/3 that no registry assigns): never, whatever the allow-list says;
 *   <li>loopback: only in local mode (the local run and tests) or when the allow-list covers it;
 *   <li>private (RFC 1918), shared (100.64/10), unique-local (fc00::/7) and the other
 *       special-purpose ranges that are not globally reachable (documentation, benchmarking, IETF
 *       protocol assignments, reserved 240/4): only when the deployment's allow-list covers them
 *       (clusters and receivers reached over a VPN);
 *   <li>everything else (public addresses): allowed.
 * </ul>
 *
 * IPv6 addresses that carry an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-translated
 * {@code ::ffff:0:0:0/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged as the
 * IPv4 address inside, so {@code ::ffff:169.254.169.254} is metadata and {@code ::ffff:0.0.0.0} is
 * "this network". Callers check every address a name resolves to.
 */
public final class AddressPolicy {

  /** The policy's answer for one address. */
  public enum Verdict {
    ALLOWED,
    /** A cloud metadata or credential endpoint: never. */
    METADATA,
    /** Not reachable for anything legitimate (link-local, unspecified, multicast...): never. */
    NEVER,
    /** Loopback, outside local mode and the allow-list. */
    LOOPBACK,
    /** Private, shared or another non-global special-purpose range, outside the allow-list. */
    PRIVATE
  }

  private static final List<Cidr> METADATA_V4 =
      cidrs(
          "169.254.169.254/32", // EC2 instance metadata (IMDS)
          "169.254.170.2/32", // ECS task credentials, Lambda's own credential endpoint
          "169.254.170.23/32"); // EKS Pod Identity agent

  private static final List<Cidr> METADATA_V6 =
      cidrs("fd00:ec2::254/128", "fd00:ec2::23/128"); // IMDS and EKS Pod Identity over IPv6

  private static final List<Cidr> NEVER_V4 =
      cidrs(
          "0.0.0.0/8", // "this network"; 0.0.0.0 reaches the local host on Linux
          "169.254.0.0/16", // link-local: more credential and metadata endpoints live here
          "224.0.0.0/4", // multicast
          "255.255.255.255/32"); // limited broadcast

  private static final List<Cidr> PRIVATE_V4 =
      cidrs(
          "10.0.0.0/8",
          "100.64.0.0/10",
          "172.16.0.0/12",
          "192.0.0.0/24",
          "192.0.2.0/24",
          "192.88.99.0/24",
          "192.168.0.0/16",
          "198.18.0.0/15",
          "198.51.100.0/24",
          "203.0.113.0/24",
          "240.0.0.0/4");

  private static final List<Cidr> NEVER_V6 =
      cidrs(
          "::/96", // unspecified and the deprecated IPv4-compatible form (::1 is judged before)
          "fe80::/10", // link-local
          "fec0::/10", // site-local, deprecated (RFC 3879)
          "ff00::/8", // multicast
          "100::/64", // discard-only
          "100:0:0:1::/64", // dummy prefix
          "64:ff9b:1::/48"); // local-use NAT64: where the IPv4 sits inside is the operator's choice

  private static final List<Cidr> PRIVATE_V6 =
      cidrs(
          "fc00::/7", // unique-local
          "2001::/23", // IETF protocol assignments (Teredo, benchmarking, ORCHID, ...)
          "2001:db8::/32", // documentation
          "3fff::/20", // documentation
          "5f00::/16"); // segment routing SIDs

  private static final Cidr LOOPBACK_V4 = Cidr.parse("127.0.0.0/8");
  private static final Cidr LOOPBACK_V6 = Cidr.parse("::1/128");
  private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3");

  private final boolean localMode;
  private final List<Cidr> allowed;

  /**
   * @param localMode allow loopback (the local run and tests), never in a deployment
   * @param allowed ranges that may be reached although they are private or loopback; metadata,
   *     link-local, unspecified, multicast and the other "never" ranges stay refused even under
   *     {@code 0.0.0.0/0} and {@code ::/0}
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
    if (address instanceof Inet4Address v4) {
      return judgeV4(v4, address);
    }
    if (!(address instanceof Inet6Address)) {
      return Verdict.NEVER;
    }
    InetAddress embedded = embeddedIpv4(address);
    if (embedded instanceof Inet4Address v4) {
      return judgeV4(v4, address);
    }
    if (inAny(METADATA_V6, address)) {
      return Verdict.METADATA;
    }
    if (LOOPBACK_V6.contains(address)) {
      return localMode || isAllowed(address) ? Verdict.ALLOWED : Verdict.LOOPBACK;
    }
    if (inAny(NEVER_V6, address)) {
      return Verdict.NEVER;
    }
    if (inAny(PRIVATE_V6, address)) {
      return isAllowed(address) ? Verdict.ALLOWED : Verdict.PRIVATE;
    }
    // IANA assigns unicast only from 2000::/3; everything else not named above is reserved.
    return GLOBAL_UNICAST_V6.contains(address) ? Verdict.ALLOWED : Verdict.NEVER;
  }

  private Verdict judgeV4(Inet4Address v4, InetAddress original) {
    if (inAny(METADATA_V4, v4)) {
      return Verdict.METADATA;
    }
    if (inAny(NEVER_V4, v4)) {
      return Verdict.NEVER;
    }
    boolean explicitlyAllowed = isAllowed(v4) || isAllowed(original);
    if (LOOPBACK_V4.contains(v4)) {
      return localMode || explicitlyAllowed ? Verdict.ALLOWED : Verdict.LOOPBACK;
    }
    if (inAny(PRIVATE_V4, v4)) {
      return explicitlyAllowed ? Verdict.ALLOWED : Verdict.PRIVATE;
    }
    return Verdict.ALLOWED;
  }

  private boolean isAllowed(InetAddress address) {
    return inAny(allowed, address);
  }

  /**
   * The IPv4 address carried inside an IPv6 one, else the address itself: IPv4-mapped {@code
   * ::ffff:a.b.c.d} (the JDK returns most of these as {@code Inet4Address} already, but {@code
   * Inet6Address.getByAddress} keeps them), IPv4-translated {@code ::ffff:0:a.b.c.d}, NAT64 {@code
   * 64:ff9b::a.b.c.d} and 6to4 {@code 2002:aabb:ccdd::/48} (the 6to4 router's IPv4 address).
   */
  public static InetAddress embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] b = address.getAddress();
    if (zero(b, 0, 10) && ff(b, 10) && ff(b, 11)) {
      return ipv4(b, 12);
    }
    if (zero(b, 0, 8) && ff(b, 8) && ff(b, 9) && zero(b, 10, 12)) {
      return ipv4(b, 12);
    }
    if (b[0] == 0x00 && b[1] == 0x64 && ff(b, 2) && b[3] == (byte) 0x9b && zero(b, 4, 12)) {
      return ipv4(b, 12);
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return ipv4(b, 2);
    }
    return address;
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean ff(byte[] b, int i) {
    return b[i] == (byte) 0xff;
  }

  private static InetAddress ipv4(byte[] b, int from) {
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(b, from, from + 4));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static List<Cidr> cidrs(String... ranges) {
    return Arrays.stream(ranges).map(Cidr::parse).toList();
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
