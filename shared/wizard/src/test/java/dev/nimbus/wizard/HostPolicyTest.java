package dev.nimbus.wizard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.netpolicy.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostPolicyTest {
  // A fixed resolver: no test depends on the machine's DNS.
  private static final Map<String, List<String>> DNS =
      Map.of(
          "pve.example.com", List.of("185.199.108.10"),
          "metadata.evil.example", List.of("169.254.169.254"),
          "split.example", List.of("185.199.108.11", "10.1.2.3"),
          "vpn.example", List.of("10.20.30.40"));

  private static HostPolicy policy(String allow) {
    List<Cidr> allowed =
        allow.isEmpty() ? List.of() : List.of(allow.split(",")).stream().map(Cidr::parse).toList();
    return new HostPolicy(
        allowed,
        host -> {
          List<String> ips = DNS.get(host);
          if (ips == null) {
            try {
              return new InetAddress[] {InetAddress.ofLiteral(host)};
            } catch (IllegalArgumentException e) {
              throw new UnknownHostException(host);
            }
          }
          return ips.stream().map(InetAddress::ofLiteral).toArray(InetAddress[]::new);
        });
  }

  @Test
  void publicHostsPass() {
    assertThatCode(() -> policy("").check("endpoint.host", "pve.example.com"))
        .doesNotThrowAnyException();
  }

  @Test
  void metadataAndLinkLocalAreRefusedEvenWhenTheAllowListCoversEverything() {
    HostPolicy open = policy("0.0.0.0/0,::/0");
    for (String host :
        List.of(
            "169.254.169.254", "metadata.evil.example", "fe80::1", "fd00:ec2::254", "0.0.0.0")) {
      assertThatThrownBy(() -> open.check("endpoint.host", host))
          .isInstanceOfSatisfying(
              WizardException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(WizardException.Kind.POLICY);
                assertThat(e.errors().getFirst().field()).isEqualTo("endpoint.host");
              });
    }
  }

  /**
   * Issue 17 point 4, through the wizard's entry point (the same shared/netpolicy policy the
   * webhooks follow): refused even when the allow-list is everything.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "fec0::1",
        "::ffff:169.254.169.254",
        "::ffff:0.0.0.0",
        "::ffff:0:a9fe:a9fe",
        "64:ff9b:1::a9fe:a9fe",
        "169.254.170.23",
        "0.0.0.0",
        "0.0.0.1",
        "::",
        "100::1",
        "2002:a9fe:a9fe::1",
        "fd00:ec2::23"
      })
  void theIssue17RangesAreRefusedUnderTheWidestAllowList(String host) {
    HostPolicy open = policy("0.0.0.0/0,::/0");
    assertThatThrownBy(() -> open.check("endpoint.host", host))
        .isInstanceOfSatisfying(
            WizardException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(WizardException.Kind.POLICY);
              assertThat(e.getMessage()).contains("never");
            });
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"100.64.0.1", "192.0.0.9", "198.18.0.1", "240.0.0.1", "2001:db8::1", "fc00::1"})
  void nonGlobalSpecialPurposeRangesNeedTheAllowList(String host) {
    assertThatThrownBy(() -> policy("").check("endpoint.host", host))
        .hasMessageContaining("WIZARD_ALLOWED_PRIVATE_CIDRS");
    assertThatCode(() -> policy("0.0.0.0/0,::/0").check("endpoint.host", host))
        .doesNotThrowAnyException();
  }

  @Test
  void privateAddressesNeedTheAllowList() {
    assertThatThrownBy(() -> policy("").check("endpoint.host", "vpn.example"))
        .hasMessageContaining("WIZARD_ALLOWED_PRIVATE_CIDRS");
    assertThatThrownBy(() -> policy("").check("endpoint.host", "127.0.0.1"))
        .isInstanceOf(WizardException.class);
    assertThatCode(() -> policy("10.20.0.0/16").check("endpoint.host", "vpn.example"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> policy("10.99.0.0/16").check("endpoint.host", "vpn.example"))
        .isInstanceOf(WizardException.class);
  }

  @Test
  void aNameIsRefusedWhenAnyOfItsAddressesIs() {
    assertThatThrownBy(() -> policy("").check("endpoint.host", "split.example"))
        .hasMessageContaining("10.1.2.3");
  }

  @Test
  void anUnresolvableNameIsAFieldError() {
    assertThatThrownBy(() -> policy("").check("proxy.host", "nowhere.invalid"))
        .isInstanceOfSatisfying(
            WizardException.class,
            e -> assertThat(e.kind()).isEqualTo(WizardException.Kind.UNREACHABLE));
  }

  @Test
  void cidrsMatchByPrefix() {
    assertThat(Cidr.parse("172.16.0.0/12").contains(InetAddress.ofLiteral("172.31.255.1")))
        .isTrue();
    assertThat(Cidr.parse("172.16.0.0/12").contains(InetAddress.ofLiteral("172.32.0.1"))).isFalse();
    assertThat(Cidr.parse("fc00::/7").contains(InetAddress.ofLiteral("fd12::1"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.ofLiteral("::1"))).isFalse();
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
