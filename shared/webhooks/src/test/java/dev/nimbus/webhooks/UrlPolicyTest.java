package dev.nimbus.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.netpolicy.Cidr;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlPolicyTest {

  /** A DNS that knows a few names and nothing else: no test here touches the network. */
  private static final Map<String, List<String>> DNS =
      Map.of(
          "hooks.example.com", List.of("93.184.216.34"),
          "v6.example.com", List.of("2606:2800:220:1:248:1893:25c8:1946"),
          "split.example.com", List.of("93.184.216.34", "10.0.0.7"),
          "metadata.example.com", List.of("169.254.169.254"),
          "intranet.example.com", List.of("10.20.30.40"),
          "localhost", List.of("127.0.0.1", "::1"));

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    List<String> answers = DNS.get(host);
    if (answers == null) {
      // Literals resolve to themselves without a lookup, as in the JDK.
      if (host.matches("[0-9a-fA-F:.]+")) {
        return new InetAddress[] {InetAddress.getByName(host)};
      }
      throw new UnknownHostException(host);
    }
    InetAddress[] out = new InetAddress[answers.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = InetAddress.getByName(answers.get(i));
    }
    return out;
  }

  private static UrlPolicy deployed(String... allowed) {
    return new UrlPolicy(
        false, Arrays.stream(allowed).map(Cidr::parse).toList(), UrlPolicyTest::resolve);
  }

  private static UrlPolicy local() {
    return new UrlPolicy(true, List.of(), UrlPolicyTest::resolve);
  }

  @Test
  void aPublicHttpsUrlPassesWithTheAddressesItWasCheckedAt() {
    UrlPolicy.Target target = deployed().check(URI.create("https://hooks.example.com/nimbus?x=1"));

    assertThat(target.host()).isEqualTo("hooks.example.com");
    assertThat(target.port()).isEqualTo(443);
    assertThat(target.pathAndQuery()).isEqualTo("/nimbus?x=1");
    assertThat(target.addresses())
        .extracting(InetAddress::getHostAddress)
        .containsExactly("93.184.216.34");
  }

  @Test
  void aPublicIpv6HostPasses() {
    assertThat(deployed().check(URI.create("https://v6.example.com:8443/")).port()).isEqualTo(8443);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"http://hooks.example.com/", "ftp://hooks.example.com/", "hooks.example.com/x"})
  void onlyHttpsIsAllowed(String url) {
    assertThatThrownBy(() -> deployed().check(URI.create(url)))
        .isInstanceOf(WebhookUrlRejectedException.class);
  }

  @Test
  void credentialsInTheUrlAreRefused() {
    assertThatThrownBy(() -> deployed().check(URI.create("https://user:pw@hooks.example.com/")))
        .isInstanceOf(WebhookUrlRejectedException.class)
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("pw");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://10.1.2.3/",
        "https://172.16.0.1/",
        "https://192.168.1.10/",
        "https://100.64.0.1/",
        "https://169.254.10.10/",
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://[fe80::1]/",
        "https://[fd12:3456::1]/",
        "https://[::]/",
        "https://[::ffff:10.0.0.1]/",
        "https://intranet.example.com/",
        "https://split.example.com/"
      })
  void privateLinkLocalAndReservedAddressesAreRefused(String url) {
    assertThatThrownBy(() -> deployed().check(URI.create(url)))
        .isInstanceOf(WebhookUrlRejectedException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://169.254.169.254/latest/meta-data/",
        "https://[fd00:ec2::254]/",
        "https://169.254.170.2/v2/credentials",
        "https://[64:ff9b::a9fe:a9fe]/",
        "https://metadata.example.com/"
      })
  void metadataAddressesAreRefusedEvenWhenTheirRangeIsAllowed(String url) {
    UrlPolicy permissive = deployed("169.254.0.0/16", "fd00::/8", "64:ff9b::/96");

    assertThatThrownBy(() -> permissive.check(URI.create(url)))
        .isInstanceOf(WebhookUrlRejectedException.class)
        .hasMessageContaining("metadata");
  }

  @Test
  void aPrivateRangeThatIsExplicitlyAllowedPasses() {
    UrlPolicy policy = deployed("10.20.0.0/16");

    assertThat(policy.check(URI.create("https://intranet.example.com/")).addresses())
        .extracting(InetAddress::getHostAddress)
        .containsExactly("10.20.30.40");
    assertThatThrownBy(() -> policy.check(URI.create("https://10.21.0.1/")))
        .isInstanceOf(WebhookUrlRejectedException.class);
  }

  @Test
  void loopbackIsRefusedInADeploymentAndAllowedInLocalMode() {
    URI url = URI.create("https://localhost:9443/hook");

    assertThatThrownBy(() -> deployed().check(url))
        .isInstanceOf(WebhookUrlRejectedException.class)
        .hasMessageContaining("local mode");
    assertThat(local().check(url).addresses()).hasSize(2);
  }

  @Test
  void localModeStillRefusesPrivateAndMetadataAddresses() {
    assertThatThrownBy(() -> local().check(URI.create("https://10.0.0.1/")))
        .isInstanceOf(WebhookUrlRejectedException.class);
    assertThatThrownBy(() -> local().check(URI.create("https://169.254.169.254/")))
        .isInstanceOf(WebhookUrlRejectedException.class);
  }

  /**
   * Issue 17 point 4, through the webhook entry point: found accepted before, now refused even when
   * the allow-list is everything (0.0.0.0/0 and ::/0, local mode on).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://[fec0::1]/",
        "https://[::ffff:169.254.169.254]/",
        "https://[::ffff:0.0.0.0]:8443/",
        "https://[::ffff:0:a9fe:a9fe]/",
        "https://[64:ff9b:1::a9fe:a9fe]/",
        "https://169.254.170.23/v1/credentials",
        "https://0.0.0.0:9443/",
        "https://0.0.0.1/",
        "https://[::]/",
        "https://[100::1]/",
        "https://[2002:a9fe:a9fe::1]/",
        "https://255.255.255.255/"
      })
  void theIssue17RangesAreRefusedUnderTheWidestAllowList(String url) {
    UrlPolicy open =
        new UrlPolicy(
            true, List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")), UrlPolicyTest::resolve);

    assertThatThrownBy(() -> open.check(URI.create(url)))
        .isInstanceOf(WebhookUrlRejectedException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://100.64.0.1/",
        "https://192.0.0.9/",
        "https://198.18.0.1/",
        "https://240.0.0.1/",
        "https://[2001:db8::1]/",
        "https://[2001:2::1]/",
        "https://[fc00::1]/"
      })
  void nonGlobalSpecialPurposeRangesNeedTheAllowList(String url) {
    assertThatThrownBy(() -> deployed().check(URI.create(url)))
        .isInstanceOf(WebhookUrlRejectedException.class);
    assertThat(deployed("0.0.0.0/0", "::/0").check(URI.create(url)).addresses()).hasSize(1);
  }

  @Test
  void aHostThatDoesNotResolveIsRefused() {
    assertThatThrownBy(() -> deployed().check(URI.create("https://nowhere.invalid/")))
        .isInstanceOf(WebhookUrlRejectedException.class)
        .hasMessageContaining("does not resolve");
  }
}
