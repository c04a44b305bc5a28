package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.support.TestClients.CA;
import static dev.nimbus.proxmox.client.support.TestClients.NODE;
import static dev.nimbus.proxmox.client.support.TestClients.pinned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.proxmox.client.ProxmoxException.CertificateMismatch;
import dev.nimbus.proxmox.client.ProxmoxException.TransportError;
import dev.nimbus.proxmox.client.support.FakePve;
import dev.nimbus.proxmox.client.support.RelayProxies;
import dev.nimbus.proxmox.client.support.TestPki;
import dev.nimbus.proxmox.client.tls.CertificateProbe;
import dev.nimbus.proxmox.client.tls.TlsTrust;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Trust modes and the certificate probe against a real local TLS server. */
class TlsTrustTest {
  private static final String OTHER_PIN =
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
  private FakePve pve;

  @BeforeEach
  void start() {
    pve = new FakePve(NODE).fixture("/version", "version_pve9.json");
  }

  @AfterEach
  void stop() {
    pve.close();
  }

  @Test
  void acceptsAServerWhoseCertificateMatchesAnyPinnedFingerprint() {
    ProxmoxClient client =
        ProxmoxClient.create(
            pinned(pve)
                .trust(new TlsTrust.PinnedFingerprints(Set.of(OTHER_PIN, NODE.fingerprint())))
                .build());
    assertThat(client.version().release()).isEqualTo("9.1");
  }

  @Test
  void acceptsAPinPastedInLowerCaseWithoutColons() {
    String pasted = NODE.fingerprint().replace(":", "").toLowerCase(Locale.ROOT);
    ProxmoxClient client =
        ProxmoxClient.create(pinned(pve).trust(TlsTrust.PinnedFingerprints.of(pasted)).build());
    assertThat(client.version().version()).isEqualTo("9.1.2");
  }

  @Test
  void refusesAServerWhoseCertificateMatchesNoPinAndNamesBothFingerprints() {
    ProxmoxClient client =
        ProxmoxClient.create(pinned(pve).trust(TlsTrust.PinnedFingerprints.of(OTHER_PIN)).build());
    CertificateMismatch e = catchThrowableOfType(CertificateMismatch.class, client::version);
    assertThat(e.expected()).containsExactly(OTHER_PIN);
    assertThat(e.seen()).isEqualTo(NODE.fingerprint());
    assertThat(e.getMessage())
        .contains("GET /version")
        .contains(OTHER_PIN)
        .contains(NODE.fingerprint());
    assertThat(pve.requests()).isEmpty();
  }

  @Test
  void trustsAServerIssuedByTheGivenClusterCa() {
    ProxmoxClient client =
        ProxmoxClient.create(pinned(pve).trust(new TlsTrust.CustomCa(CA.pem())).build());
    assertThat(client.version().parsed().major()).isEqualTo(9);
  }

  @Test
  void refusesAServerIssuedByAnotherCa() {
    TestPki.Ca other = TestPki.newCa("Someone else");
    ProxmoxClient client =
        ProxmoxClient.create(pinned(pve).trust(new TlsTrust.CustomCa(other.pem())).build());
    TransportError e = catchThrowableOfType(TransportError.class, client::version);
    assertThat(e.kind()).isEqualTo(TransportError.Kind.TLS);
    assertThat(pve.requests()).isEmpty();
  }

  @Test
  void checksTheHostNameWhenTrustingACa() {
    try (FakePve unnamed = new FakePve(TestPki.issueNode(CA, "gamma", false))) {
      unnamed.fixture("/version", "version_pve9.json");
      ProxmoxClient client =
          ProxmoxClient.create(pinned(unnamed).trust(new TlsTrust.CustomCa(CA.pem())).build());
      TransportError e = catchThrowableOfType(TransportError.class, client::version);
      assertThat(e.kind()).isEqualTo(TransportError.Kind.TLS);
      assertThat(unnamed.requests()).isEmpty();
    }
  }

  @Test
  void refusesTheClusterCertificateWithTheJvmTrustStore() {
    ProxmoxClient client =
        ProxmoxClient.create(pinned(pve).trust(new TlsTrust.SystemTrustStore()).build());
    TransportError e = catchThrowableOfType(TransportError.class, client::version);
    assertThat(e.kind()).isEqualTo(TransportError.Kind.TLS);
  }

  @Test
  void probeReportsFingerprintSubjectSansAndExpiryWithoutSendingARequest() throws Exception {
    CertificateProbe.ProbedCertificate cert =
        CertificateProbe.probe("127.0.0.1", pve.port(), Duration.ofSeconds(5));
    assertThat(cert.fingerprint()).isEqualTo(NODE.fingerprint());
    assertThat(cert.subjectAlternativeNames())
        .containsExactly("IP:127.0.0.1", "DNS:localhost", "DNS:alpha");
    assertThat(cert.subject()).contains("CN=alpha.lab.example");
    assertThat(cert.issuer()).contains("CN=Proxmox Virtual Environment");
    assertThat(cert.notAfter()).isEqualTo(NODE.leaf().getNotAfter().toInstant());
    assertThat(cert.notBefore()).isEqualTo(NODE.leaf().getNotBefore().toInstant());
    assertThat(pve.requests()).isEmpty();
  }

  @Test
  void probeWorksThroughAnHttpConnectProxy() throws Exception {
    try (RelayProxies.Relay proxy = RelayProxies.httpConnect()) {
      CertificateProbe.ProbedCertificate cert =
          CertificateProbe.probe(
              "127.0.0.1",
              pve.port(),
              ProxySettings.httpConnect("127.0.0.1", proxy.port()),
              Duration.ofSeconds(5));
      assertThat(cert.fingerprint()).isEqualTo(NODE.fingerprint());
      assertThat(proxy.targets()).containsExactly("127.0.0.1:" + pve.port());
    }
  }
}
