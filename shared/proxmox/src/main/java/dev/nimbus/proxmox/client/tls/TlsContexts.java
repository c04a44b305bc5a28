package dev.nimbus.proxmox.client.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the socket factory (and, in pinned mode only, the host name verifier) for a {@link
 * TlsTrust}. A null verifier means "keep the JDK's HTTPS host name verification".
 */
public final class TlsContexts {
  private TlsContexts() {}

  /** The TLS setup of one client: reused by every connection so keep-alive can pool them. */
  public record TlsSetup(SSLSocketFactory socketFactory, HostnameVerifier hostnameVerifier) {}

  public static TlsSetup forTrust(TlsTrust trust) {
    try {
      return switch (trust) {
        case TlsTrust.PinnedFingerprints pinned -> {
          SSLContext context = SSLContext.getInstance("TLS");
          context.init(
              null, new TrustManager[] {new PinningTrustManager(pinned.fingerprints())}, null);
          // The pin was checked during the handshake; it replaces the host name check (as PVE
          // does when it pins PBS or remote nodes), since a tunnel host never matches the node
          // certificate's SANs.
          HostnameVerifier pinChecked = (host, session) -> true;
          yield new TlsSetup(context.getSocketFactory(), pinChecked);
        }
        case TlsTrust.CustomCa ca -> {
          KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
          store.load(null, null);
          Collection<? extends Certificate> certs =
              CertificateFactory.getInstance("X.509")
                  .generateCertificates(
                      new ByteArrayInputStream(ca.pem().getBytes(StandardCharsets.US_ASCII)));
          if (certs.isEmpty()) {
            throw new IllegalArgumentException("CA PEM holds no certificate");
          }
          int i = 0;
          for (Certificate cert : certs) {
            store.setCertificateEntry("ca-" + i++, cert);
          }
          TrustManagerFactory tmf =
              TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
          tmf.init(store);
          SSLContext context = SSLContext.getInstance("TLS");
          context.init(null, tmf.getTrustManagers(), null);
          yield new TlsSetup(context.getSocketFactory(), null);
        }
        case TlsTrust.SystemTrustStore system ->
            new TlsSetup(SSLContext.getDefault().getSocketFactory(), null);
      };
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
