package dev.nimbus.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConnectionValidatorTest {
  private final ConnectionValidator validator = new ConnectionValidator();

  @Test
  void aCompleteDraftIsAccepted() {
    assertThatCode(() -> validator.validate(TestData.draft("lab"))).doesNotThrowAnyException();
  }

  @Test
  void ipv4AndIpv6HostsTunnelPathsCaCertificatesAndNestedPoolsAreAccepted() {
    ConnectionSettings s =
        new ConnectionSettings(
            "Edge",
            new Endpoint("2001:db8::10", 443, Optional.of("/pve/api-gw")),
            Optional.of(new TunnelProxy(ProxyType.SOCKS5, "127.0.0.1", 1055)),
            TlsTrust.certificateAuthority(Fixtures.text("pve-root-ca.pem")),
            "root@pam!nimbus-ro",
            DiscoveryScope.compartments(Set.of("prod", "prod/web", "lab/a/b")),
            "cron(0/15 * * * ? *)");

    assertThatCode(() -> validator.validate(s)).doesNotThrowAnyException();
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        bad("connection id with capitals", d -> withId(d, "Lab_1"), "connectionId", "lower-case"),
        bad("blank name", s(s -> with(s, "name", "  ")), "name", "is required"),
        bad("name too long", s(s -> with(s, "name", "x".repeat(101))), "name", "at most 100"),
        bad(
            "host with an empty label",
            s(s -> withEndpoint(s, new Endpoint("pve..lan", 8006, Optional.empty()))),
            "endpoint.host",
            "'pve..lan' is not a valid host name or IP address"),
        bad(
            "host given as a URL",
            s(s -> withEndpoint(s, new Endpoint("https://pve.lan", 8006, Optional.empty()))),
            "endpoint.host",
            "without scheme or path"),
        bad(
            "IPv4 address out of range",
            s(s -> withEndpoint(s, new Endpoint("10.0.0.256", 8006, Optional.empty()))),
            "endpoint.host",
            "'10.0.0.256' is not a valid host name or IP address"),
        bad(
            "IPv6 in brackets",
            s(s -> withEndpoint(s, new Endpoint("[fd00::1]", 8006, Optional.empty()))),
            "endpoint.host",
            "without brackets"),
        bad(
            "malformed IPv6",
            s(s -> withEndpoint(s, new Endpoint("fd00:::1::2", 8006, Optional.empty()))),
            "endpoint.host",
            "is not a valid host name or IP address"),
        bad(
            "port zero",
            s(s -> withEndpoint(s, new Endpoint("pve.lan", 0, Optional.empty()))),
            "endpoint.port",
            "0 is not a port: use 1-65535"),
        bad(
            "port above 65535",
            s(s -> withEndpoint(s, new Endpoint("pve.lan", 70000, Optional.empty()))),
            "endpoint.port",
            "70000 is not a port"),
        bad(
            "path prefix with a trailing slash",
            s(s -> withEndpoint(s, new Endpoint("pve.lan", 443, Optional.of("/pve/")))),
            "endpoint.pathPrefix",
            "no trailing '/'"),
        bad(
            "path prefix climbing up",
            s(s -> withEndpoint(s, new Endpoint("pve.lan", 443, Optional.of("/a/../b")))),
            "endpoint.pathPrefix",
            "must start with '/'"),
        bad(
            "proxy with a bad host",
            s(s -> withProxy(s, new TunnelProxy(ProxyType.HTTP, "proxy_1", 3128))),
            "proxy.host",
            "'proxy_1' is not a valid host name"),
        bad(
            "proxy with a bad port",
            s(s -> withProxy(s, new TunnelProxy(ProxyType.HTTP, "proxy.lan", 65536))),
            "proxy.port",
            "65536 is not a port"),
        bad(
            "no TLS trust at all",
            s(s -> withTls(s, new TlsTrust(new TreeMap<>(), Optional.empty(), false))),
            "tls",
            "choose how to verify the certificate"),
        bad(
            "fingerprint too short",
            s(s -> withTls(s, TlsTrust.pinned(Map.of("pve1", "AB:CD:EF")))),
            "tls.pinnedFingerprints[pve1]",
            "is not a SHA-256 fingerprint"),
        bad(
            "fingerprint without colons",
            s(
                s ->
                    withTls(
                        s, TlsTrust.pinned(Map.of("pve1", TestData.FINGERPRINT.replace(":", ""))))),
            "tls.pinnedFingerprints[pve1]",
            "32 hex pairs separated by ':'"),
        bad(
            "fingerprint for a bad node name",
            s(s -> withTls(s, TlsTrust.pinned(Map.of("pve_1", TestData.FINGERPRINT)))),
            "tls.pinnedFingerprints",
            "'pve_1' is not a Proxmox node name"),
        bad(
            "CA that is not a certificate",
            s(
                s ->
                    withTls(
                        s,
                        TlsTrust.certificateAuthority(
                            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))),
            "tls.caPem",
            "is not a PEM-encoded X.509 certificate"),
        bad(
            "token id without realm",
            s(s -> with(s, "tokenId", "discovery!ro")),
            "tokenId",
            "write user@realm!name"),
        bad(
            "token id without token name",
            s(s -> with(s, "tokenId", "discovery@pve")),
            "tokenId",
            "'discovery@pve' is not an API token id"),
        bad(
            "token id with a realm starting with a digit",
            s(s -> with(s, "tokenId", "discovery@1pve!ro")),
            "tokenId",
            "is not an API token id"),
        bad(
            "token secret that is not a UUID",
            d -> withTokenSecret(d, Secret.of("hunter2-not-a-uuid")),
            "tokenSecret",
            "Proxmox shows it once as a UUID"),
        bad("token secret missing", d -> withTokenSecret(d, null), "tokenSecret", "is required"),
        bad(
            "header name with a space",
            d -> withHeaders(d, Map.of("CF Access", Secret.of("v"))),
            "secretHeaders",
            "'CF Access' is not a valid HTTP header name"),
        bad(
            "header that Nimbus sets itself",
            d -> withHeaders(d, Map.of("Authorization", Secret.of("v"))),
            "secretHeaders[Authorization]",
            "set by Nimbus itself"),
        bad(
            "the same header twice in different case",
            d -> withHeaders(d, Map.of("X-Token", Secret.of("a"), "x-token", Secret.of("b"))),
            "secretHeaders[x-token]",
            "given twice"),
        bad(
            "header value with a line break",
            d -> withHeaders(d, Map.of("X-Token", Secret.of("a\r\nInjected: 1"))),
            "secretHeaders[X-Token]",
            "must not contain control characters"),
        bad(
            "pool name with a space",
            s(s -> withScope(s, DiscoveryScope.compartments(Set.of("my pool")))),
            "scope.pools[0]",
            "'my pool' is not a Proxmox pool id"),
        bad(
            "pool nested four levels deep",
            s(s -> withScope(s, DiscoveryScope.compartments(Set.of("a/b/c/d")))),
            "scope.pools[0]",
            "up to 3 levels"),
        bad(
            "node name with a dot",
            s(s -> withScope(s, DiscoveryScope.hosts(Set.of("pve1.lan")))),
            "scope.nodes[0]",
            "'pve1.lan' is not a Proxmox node name"),
        bad(
            "schedule too frequent",
            s(s -> with(s, "schedule", "rate(1 minute)")),
            "schedule",
            "the minimum is 5 minutes"),
        bad(
            "schedule that is no expression",
            s(s -> with(s, "schedule", "hourly")),
            "schedule",
            "'hourly' is not a schedule expression"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void eachKindOfBadInputIsReportedOnItsFieldInPlainWords(
      UnaryOperator<ConnectionDraft> spoil, String field, String message) {
    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () -> validator.validate(spoil.apply(TestData.draft("lab"))));

    assertThat(e).as("a ValidationException").isNotNull();
    assertThat(e.errors()).hasSize(1);
    assertThat(e.errors().getFirst().field()).isEqualTo(field);
    assertThat(e.errors().getFirst().message()).contains(message);
    assertThat(e.getMessage()).contains(field + ": ");
  }

  @Test
  void allProblemsAreReportedAtOnce() {
    ConnectionSettings s =
        new ConnectionSettings(
            "",
            new Endpoint("pve..lan", 0, Optional.empty()),
            Optional.empty(),
            TlsTrust.pinned(Map.of("pve1", "nope")),
            "root",
            DiscoveryScope.everything(),
            "rate(1 minute)");

    ValidationException e =
        catchThrowableOfType(ValidationException.class, () -> validator.validate(s));

    assertThat(e.errors())
        .extracting(FieldError::field)
        .containsExactly(
            "name",
            "endpoint.host",
            "endpoint.port",
            "tls.pinnedFingerprints[pve1]",
            "tokenId",
            "schedule");
    assertThat(e.getMessage())
        .contains("endpoint.host: 'pve..lan' is not a valid host name or IP address");
  }

  @Test
  void aRejectedTokenSecretIsNeverQuotedBack() {
    String typo = "my-real-password-typed-in-the-wrong-box";
    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () -> validator.validate(withTokenSecret(TestData.draft("lab"), Secret.of(typo))));

    assertThat(e.getMessage()).doesNotContain(typo);
    assertThat(e.errors().toString()).doesNotContain(typo);
  }

  // --- one field changed at a time -------------------------------------------------------------

  private static Arguments bad(
      String name, UnaryOperator<ConnectionDraft> spoil, String field, String message) {
    return Arguments.of(Named.of(name, spoil), field, message);
  }

  private static UnaryOperator<ConnectionDraft> s(UnaryOperator<ConnectionSettings> change) {
    return d ->
        new ConnectionDraft(
            d.connectionId(), change.apply(d.settings()), d.tokenSecret(), d.secretHeaders());
  }

  private static ConnectionDraft withId(ConnectionDraft d, String id) {
    return new ConnectionDraft(id, d.settings(), d.tokenSecret(), d.secretHeaders());
  }

  private static ConnectionDraft withTokenSecret(ConnectionDraft d, Secret secret) {
    return new ConnectionDraft(d.connectionId(), d.settings(), secret, d.secretHeaders());
  }

  private static ConnectionDraft withHeaders(ConnectionDraft d, Map<String, Secret> headers) {
    return new ConnectionDraft(
        d.connectionId(), d.settings(), d.tokenSecret(), new LinkedHashMap<>(headers));
  }

  private static ConnectionSettings with(ConnectionSettings s, String field, String value) {
    return new ConnectionSettings(
        field.equals("name") ? value : s.name(),
        s.endpoint(),
        s.proxy(),
        s.tls(),
        field.equals("tokenId") ? value : s.tokenId(),
        s.scope(),
        field.equals("schedule") ? value : s.schedule());
  }

  private static ConnectionSettings withEndpoint(ConnectionSettings s, Endpoint e) {
    return new ConnectionSettings(
        s.name(), e, s.proxy(), s.tls(), s.tokenId(), s.scope(), s.schedule());
  }

  private static ConnectionSettings withProxy(ConnectionSettings s, TunnelProxy p) {
    return new ConnectionSettings(
        s.name(), s.endpoint(), Optional.of(p), s.tls(), s.tokenId(), s.scope(), s.schedule());
  }

  private static ConnectionSettings withTls(ConnectionSettings s, TlsTrust tls) {
    return new ConnectionSettings(
        s.name(), s.endpoint(), s.proxy(), tls, s.tokenId(), s.scope(), s.schedule());
  }

  private static ConnectionSettings withScope(ConnectionSettings s, DiscoveryScope scope) {
    return new ConnectionSettings(
        s.name(), s.endpoint(), s.proxy(), s.tls(), s.tokenId(), scope, s.schedule());
  }
}
