package dev.nimbus.netpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.netpolicy.AddressPolicy.Verdict;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 17 point 4: every range of the IANA IPv4 and IPv6 special-purpose registries that is not
 * globally reachable, one row per range (an address inside it), judged by a deployment with no
 * allow-list and by one whose allow-list is everything. The README's table lists the same rows.
 */
class SpecialPurposeRangesTest {
  private static final AddressPolicy DEPLOYED = new AddressPolicy(false, List.of());
  private static final AddressPolicy WIDE_OPEN =
      new AddressPolicy(false, List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")));

  private static Verdict judge(AddressPolicy p, String literal) {
    return p.judge(InetAddress.ofLiteral(literal));
  }

  /** Refused by default and never opened by an allow-list, not even 0.0.0.0/0 and ::/0. */
  @ParameterizedTest(name = "{0} ({1})")
  @CsvSource({
    "169.254.169.254, EC2 instance metadata, METADATA",
    "169.254.170.2, ECS/Lambda credential endpoint, METADATA",
    "169.254.170.23, EKS Pod Identity agent, METADATA",
    "fd00:ec2::254, EC2 instance metadata over IPv6, METADATA",
    "fd00:ec2::23, EKS Pod Identity agent over IPv6, METADATA",
    "0.0.0.0, this host (reaches loopback on Linux), NEVER",
    "0.1.2.3, this network 0/8, NEVER",
    "169.254.10.1, IPv4 link-local, NEVER",
    "224.0.0.1, IPv4 multicast, NEVER",
    "239.255.255.250, IPv4 multicast, NEVER",
    "255.255.255.255, limited broadcast, NEVER",
    "::, IPv6 unspecified, NEVER",
    "::a01:203, IPv4-compatible (deprecated), NEVER",
    "fe80::1, IPv6 link-local, NEVER",
    "fec0::1, site-local (deprecated), NEVER",
    "feff:ffff::1, site-local upper end, NEVER",
    "ff02::1, IPv6 multicast, NEVER",
    "100::1, discard-only 100::/64, NEVER",
    "100:0:0:1::1, dummy prefix 100:0:0:1::/64, NEVER",
    "64:ff9b:1::a9fe:a9fe, local-use NAT64 64:ff9b:1::/48, NEVER",
    "64:ff9b:1:ffff::1, local-use NAT64 upper part, NEVER",
    "4000::1, unassigned IPv6 outside 2000::/3, NEVER",
    "::ffff:0:a9fe:a9fe, IPv4-translated metadata, METADATA",
    "64:ff9b::a9fe:a9fe, NAT64 of the metadata address, METADATA",
    "64:ff9b::0:1, NAT64 of 0.0.0.1, NEVER",
    "2002:a9fe:a9fe::1, 6to4 of the metadata address, METADATA",
    "2002:0:0::1, 6to4 of 0.0.0.0, NEVER",
    "2002:e000:1::1, 6to4 of multicast, NEVER",
  })
  void neverEvenUnderTheWidestAllowList(String literal, String what, Verdict verdict) {
    assertThat(judge(DEPLOYED, literal)).as(what).isEqualTo(verdict);
    assertThat(judge(WIDE_OPEN, literal)).as(what).isEqualTo(verdict);
    assertThat(judge(new AddressPolicy(true, List.of()), literal)).as(what).isEqualTo(verdict);
  }

  /** Refused by default; a deployment's allow-list may open them (clusters behind a VPN). */
  @ParameterizedTest(name = "{0} ({1})")
  @CsvSource({
    "10.1.2.3, RFC 1918",
    "172.31.255.1, RFC 1918",
    "192.168.7.7, RFC 1918",
    "100.64.0.1, shared address space (CGN)",
    "100.127.255.254, shared address space (CGN)",
    "192.0.0.9, IETF protocol assignments 192.0.0.0/24",
    "192.0.0.170, NAT64 discovery",
    "192.0.2.1, TEST-NET-1",
    "192.88.99.1, 6to4 relay anycast (deprecated)",
    "198.18.0.1, benchmarking",
    "198.19.255.1, benchmarking",
    "198.51.100.1, TEST-NET-2",
    "203.0.113.7, TEST-NET-3",
    "240.0.0.1, reserved 240/4",
    "254.1.2.3, reserved 240/4",
    "fc00::1, unique-local",
    "fd12:3456::1, unique-local",
    "2001::1, Teredo",
    "2001:2::1, benchmarking",
    "2001:10::1, ORCHID (deprecated)",
    "2001:1ff::1, IETF protocol assignments 2001::/23",
    "2001:db8::1, documentation",
    "3fff::1, documentation 3fff::/20",
    "5f00::1, segment routing SIDs",
    "::ffff:0:a01:203, IPv4-translated 10.1.2.3",
    "64:ff9b::a01:203, NAT64 of 10.1.2.3",
    "2002:a01:203::1, 6to4 of 10.1.2.3",
    "2002:c633:6401::1, 6to4 of TEST-NET-2",
  })
  void privateUnlessTheAllowListOpensIt(String literal, String what) {
    assertThat(judge(DEPLOYED, literal)).as(what).isEqualTo(Verdict.PRIVATE);
    assertThat(judge(WIDE_OPEN, literal)).as(what).isEqualTo(Verdict.ALLOWED);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1", "2002:7f00:1::1"})
  void loopbackOnlyInLocalModeOrUnderTheAllowList(String literal) {
    assertThat(judge(DEPLOYED, literal)).isEqualTo(Verdict.LOOPBACK);
    assertThat(judge(new AddressPolicy(true, List.of()), literal)).isEqualTo(Verdict.ALLOWED);
    assertThat(judge(WIDE_OPEN, literal)).isEqualTo(Verdict.ALLOWED);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "185.199.108.10",
    "8.8.8.8",
    "192.31.196.1",
    "2606:4700::1111",
    "2a01:4f8::1",
    "64:ff9b::8.8.8.8",
    "2002:808:808::1"
  })
  void globallyReachableAddressesPass(String literal) {
    assertThat(judge(DEPLOYED, literal)).isEqualTo(Verdict.ALLOWED);
  }

  /**
   * Every spelling of an IPv4-mapped address is judged as the IPv4 address it maps, including the
   * {@code Inet6Address} that {@code Inet6Address.getByAddress} keeps instead of converting.
   */
  @Test
  void ipv4MappedAddressesAreJudgedAsTheirIpv4Address() throws Exception {
    for (String literal :
        List.of("::ffff:169.254.169.254", "::ffff:a9fe:a9fe", "0:0:0:0:0:ffff:a9fe:a9fe")) {
      assertThat(judge(WIDE_OPEN, literal)).as(literal).isEqualTo(Verdict.METADATA);
    }
    assertThat(judge(WIDE_OPEN, "::ffff:0.0.0.0")).isEqualTo(Verdict.NEVER);
    assertThat(judge(WIDE_OPEN, "::ffff:169.254.170.23")).isEqualTo(Verdict.METADATA);
    assertThat(judge(DEPLOYED, "::ffff:10.0.0.1")).isEqualTo(Verdict.PRIVATE);
    assertThat(judge(DEPLOYED, "::ffff:8.8.8.8")).isEqualTo(Verdict.ALLOWED);

    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    byte[][] cases = {
      {(byte) 169, (byte) 254, (byte) 169, (byte) 254}, {0, 0, 0, 0}, {127, 0, 0, 1}, {10, 0, 0, 1}
    };
    Verdict[] expected = {Verdict.METADATA, Verdict.NEVER, Verdict.LOOPBACK, Verdict.PRIVATE};
    for (int i = 0; i < cases.length; i++) {
      System.arraycopy(cases[i], 0, mapped, 12, 4);
      Inet6Address kept = Inet6Address.getByAddress(null, mapped, null);
      assertThat(kept).isInstanceOf(Inet6Address.class);
      assertThat(DEPLOYED.judge(kept)).as(kept.toString()).isEqualTo(expected[i]);
    }
  }

  /** 0.0.0.0 reaches the local host: a wide allow-list must not turn it into loopback access. */
  @Test
  void theUnspecifiedAddressIsNeverLoopbackAccess() {
    AddressPolicy loopbackAllowed =
        new AddressPolicy(
            true, List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("0.0.0.0/8"), Cidr.parse("::/0")));
    for (String a : List.of("0.0.0.0", "0.0.0.1", "::", "::ffff:0.0.0.0", "64:ff9b::")) {
      assertThat(judge(loopbackAllowed, a)).as(a).isEqualTo(Verdict.NEVER);
    }
  }
}
