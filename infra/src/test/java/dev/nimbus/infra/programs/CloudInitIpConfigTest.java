package dev.nimbus.infra.programs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CloudInitIpConfigTest {
  @Test
  void parsesStaticDualStackAndNormalisesOrder() {
    var r =
        CloudInitIpConfig.parse("gw=10.0.0.1, ip=10.0.0.5/24,ip6=2001:db8::5/64,gw6=2001:db8::1");
    assertThat(r.error()).isNull();
    assertThat(r.value().orElseThrow().text())
        .isEqualTo("ip=10.0.0.5/24,gw=10.0.0.1,ip6=2001:db8::5/64,gw6=2001:db8::1");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "ip=10.0.0.5|ip must be dhcp or an IPv4 address with prefix length (10.0.0.5/24)",
        "ip=10.0.0.5/33|ip must be dhcp or an IPv4 address with prefix length (10.0.0.5/24)",
        "ip=dhcp,gw=10.0.0.1|gw needs a static ip",
        "ip=10.0.0.5/24,gw=2001:db8::1|gw must be an IPv4 address",
        "ip6=auto,gw6=2001:db8::1|gw6 needs a static ip6",
        "ip6=fe80::zz/64|ip6 must be dhcp, auto or an IPv6 address with prefix length",
        "gw=10.0.0.1|needs ip= or ip6=",
        "ip=dhcp,ip=dhcp|'ip' is given twice",
        "mtu=1500|unknown key 'mtu' (ip, gw, ip6, gw6)",
        "dhcp|'dhcp' is not key=value"
      })
  void explainsWhatIsWrong(String text, String error) {
    assertThat(CloudInitIpConfig.parse(text).error()).isEqualTo(error);
  }
}
