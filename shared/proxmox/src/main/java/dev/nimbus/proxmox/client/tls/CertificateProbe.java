package dev.nimbus.proxmox.client.tls;

import dev.nimbus.proxmox.client.ProxySettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Fetches a node's certificate without trusting it, so the wizard can show the fingerprint,
 * subject, SANs and validity and let the operator pin it. The probe's trust manager records the
 * chain and then aborts the handshake, so a probe connection never carries a request and the probe
 * can never be used for API calls.
 */
public final class CertificateProbe {
  private CertificateProbe() {}

  /** What the server presented. */
  public record ProbedCertificate(
      String fingerprint,
      String subject,
      String issuer,
      List<String> subjectAlternativeNames,
      Instant notBefore,
      Instant notAfter,
      int chainLength) {}

  /** Signals that the chain was captured; the handshake is abandoned on purpose. */
  private static final class Captured extends CertificateException {
    Captured() {
      super("certificate captured by probe; handshake abandoned");
    }
  }

  private static final class RecordingTrustManager implements X509TrustManager {
    private volatile X509Certificate[] chain;

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      this.chain = chain.clone();
      throw new Captured();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /**
   * The whole chain the server presented, leaf first, and whether the JVM's default trust store
   * (public CAs) accepts it. {@code hostnameMatches} compares the leaf's SANs with the host asked
   * for; a tunnel host name often does not match a node certificate, which pinning makes harmless.
   */
  public record ProbedChain(
      List<ProbedCertificate> certificates, boolean trustedBySystem, boolean hostnameMatches) {
    public ProbedChain {
      certificates = List.copyOf(certificates);
    }

    public ProbedCertificate leaf() {
      return certificates.getFirst();
    }
  }

  /** Probes {@code host:port} directly. */
  public static ProbedCertificate probe(String host, int port, Duration timeout)
      throws IOException {
    return probe(host, port, null, timeout);
  }

  /**
   * Probes {@code host:port}, through an HTTP CONNECT or SOCKS5 proxy when one is given.
   *
   * @throws IOException when the server cannot be reached or presents no certificate
   */
  public static ProbedCertificate probe(
      String host, int port, ProxySettings proxy, Duration timeout) throws IOException {
    return probeChain(host, port, proxy, timeout).leaf();
  }

  /**
   * Probes {@code host:port} (through a proxy when given) and describes every certificate of the
   * chain. Nothing but the TLS handshake (and, with a proxy, its CONNECT) is sent.
   *
   * @throws IOException when the server cannot be reached or presents no certificate
   */
  public static ProbedChain probeChain(String host, int port, ProxySettings proxy, Duration timeout)
      throws IOException {
    Objects.requireNonNull(host, "host");
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    RecordingTrustManager recorder = new RecordingTrustManager();
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {recorder}, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS probe", e);
    }
    try (Socket raw = connect(host, port, proxy, millis);
        SSLSocket tls =
            (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, true)) {
      tls.setSoTimeout(millis);
      try {
        tls.startHandshake();
      } catch (IOException expected) {
        // The recording trust manager aborts every handshake after capturing the chain.
        if (recorder.chain == null) {
          throw expected;
        }
      }
    }
    X509Certificate[] chain = recorder.chain;
    if (chain == null || chain.length == 0) {
      throw new IOException("server at " + host + ":" + port + " presented no certificate");
    }
    List<ProbedCertificate> described = new ArrayList<>();
    for (X509Certificate cert : chain) {
      described.add(
          new ProbedCertificate(
              Fingerprints.sha256(cert),
              cert.getSubjectX500Principal().getName(),
              cert.getIssuerX500Principal().getName(),
              sans(cert),
              cert.getNotBefore().toInstant(),
              cert.getNotAfter().toInstant(),
              chain.length));
    }
    return new ProbedChain(
        described, trustedBySystem(chain), hostnameMatches(host, described.getFirst()));
  }

  /** Whether the JVM's default trust managers accept the chain (validity and path to a root). */
  static boolean trustedBySystem(X509Certificate[] chain) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((java.security.KeyStore) null);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x509) {
          // "UNKNOWN" is the auth type TLS 1.3 handshakes use; the check is the PKIX path.
          x509.checkServerTrusted(chain, "UNKNOWN");
          return true;
        }
      }
      return false;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** DNS SANs (with a single leading wildcard label) and IP SANs against the host asked for. */
  static boolean hostnameMatches(String host, ProbedCertificate leaf) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    for (String san : leaf.subjectAlternativeNames()) {
      String value = san.substring(san.indexOf(':') + 1).toLowerCase(java.util.Locale.ROOT);
      if (san.startsWith("IP:")) {
        try {
          if (java.net.InetAddress.ofLiteral(value)
              .equals(java.net.InetAddress.ofLiteral(h.replace("[", "").replace("]", "")))) {
            return true;
          }
        } catch (IllegalArgumentException notAnIp) {
          // host is a name: compare DNS SANs only
        }
      } else if (san.startsWith("DNS:")) {
        if (value.equals(h)) {
          return true;
        }
        if (value.startsWith("*.")
            && h.indexOf('.') > 0
            && h.substring(h.indexOf('.')).equals(value.substring(1))) {
          return true;
        }
      }
    }
    return false;
  }

  private static Socket connect(String host, int port, ProxySettings proxy, int millis)
      throws IOException {
    if (proxy == null) {
      Socket s = new Socket();
      s.connect(new InetSocketAddress(host, port), millis);
      s.setSoTimeout(millis);
      return s;
    }
    if (proxy.type() == ProxySettings.Type.SOCKS5) {
      Socket s = new Socket(proxy.toProxy());
      s.connect(InetSocketAddress.createUnresolved(host, port), millis);
      s.setSoTimeout(millis);
      return s;
    }
    Socket s = new Socket(Proxy.NO_PROXY);
    s.connect(new InetSocketAddress(proxy.host(), proxy.port()), millis);
    s.setSoTimeout(millis);
    try {
      OutputStream out = s.getOutputStream();
      String target = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
      out.write(
          ("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = readHeaders(s.getInputStream());
      if (!status.matches("HTTP/1\\.[01] 2\\d\\d.*")) {
        throw new IOException("proxy refused CONNECT: " + status);
      }
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** Reads the proxy's answer headers byte by byte (no buffering past them); returns line 1. */
  private static String readHeaders(InputStream in) throws IOException {
    StringBuilder all = new StringBuilder();
    while (all.length() < 8192) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("proxy closed the connection");
      }
      all.append((char) b);
      if (all.length() >= 4 && all.substring(all.length() - 4).equals("\r\n\r\n")) {
        int eol = all.indexOf("\r\n");
        return all.substring(0, eol);
      }
    }
    throw new IOException("proxy answer headers too long");
  }

  private static List<String> sans(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      var names = cert.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> entry : names) {
          int kind = (Integer) entry.get(0);
          String prefix =
              switch (kind) {
                case 2 -> "DNS:";
                case 7 -> "IP:";
                case 1 -> "email:";
                case 6 -> "URI:";
                default -> kind + ":";
              };
          out.add(prefix + entry.get(1));
        }
      }
    } catch (CertificateParsingException e) {
      // No readable SAN extension: report none.
    }
    return List.copyOf(out);
  }
}
