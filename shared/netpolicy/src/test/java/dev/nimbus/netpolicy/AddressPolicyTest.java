package dev.nimbus.netpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.netpolicy.AddressPolicy.Verdict;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one address policy, as both the webhook deliveries and the wizard's connections see it. */
class AddressPolicyTest {
  private static Verdict judge(AddressPolicy p, String literal) {
    return p.judge(InetAddress.ofLiteral(literal));
  }

  @Test
  void publicAddressesPassAndPrivateOrReservedOnesNeedTheAllowList() {
    AddressPolicy deployed = new AddressPolicy(false, List.of());
    assertThat(judge(deployed, "185.199.108.10")).isEqualTo(Verdict.ALLOWED);
    assertThat(judge(deployed, "2606:4700::1111")).isEqualTo(Verdict.ALLOWED);
    for (String a : List.of("10.1.2.3", "172.20.0.1", "192.168.1.1", "100.64.0.1", "fd12::1")) {
      assertThat(judge(deployed, a)).as(a).isEqualTo(Verdict.PRIVATE);
    }
    assertThat(judge(deployed, "203.0.113.7")).isEqualTo(Verdict.PRIVATE);
    // An IPv4 address inside IPv6 (NAT64) is judged as the IPv4 address.
    assertThat(judge(deployed, "64:ff9b::a01:203")).isEqualTo(Verdict.PRIVATE);

    AddressPolicy vpn = new AddressPolicy(false, List.of(Cidr.parse("10.1.0.0/16")));
    assertThat(judge(vpn, "10.1.2.3")).isEqualTo(Verdict.ALLOWED);
    assertThat(judge(vpn, "10.2.0.1")).isEqualTo(Verdict.PRIVATE);
  }

  @Test
  void loopbackOnlyInLocalModeOrThroughTheAllowList() {
    assertThat(judge(new AddressPolicy(false, List.of()), "127.0.0.1")).isEqualTo(Verdict.LOOPBACK);
    assertThat(judge(new AddressPolicy(false, List.of()), "::1")).isEqualTo(Verdict.LOOPBACK);
    assertThat(judge(new AddressPolicy(true, List.of()), "127.0.0.1")).isEqualTo(Verdict.ALLOWED);
    assertThat(judge(new AddressPolicy(false, List.of(Cidr.parse("127.0.0.0/8"))), "127.0.0.1"))
        .isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void metadataLinkLocalAndUnspecifiedAreRefusedWhateverIsAllowed() {
    AddressPolicy open =
        new AddressPolicy(true, List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")));
    for (String a :
        List.of("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "64:ff9b::a9fe:a9fe")) {
      assertThat(judge(open, a)).as(a).isEqualTo(Verdict.METADATA);
    }
    for (String a : List.of("169.254.10.1", "fe80::1", "0.0.0.0", "::", "224.0.0.1", "ff02::1")) {
      assertThat(judge(open, a)).as(a).isEqualTo(Verdict.NEVER);
    }
  }
}
