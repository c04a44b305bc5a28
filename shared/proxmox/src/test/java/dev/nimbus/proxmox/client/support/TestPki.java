package dev.nimbus.proxmox.client.support;

import dev.nimbus.proxmox.client.tls.Fingerprints;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Generates a throw-away cluster CA and node certificates shaped like PVE's (CA "Proxmox Virtual
 * Environment", leaf with SANs IP:127.0.0.1, DNS:localhost, DNS:&lt;node&gt;).
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  /** A CA that can issue node certificates. */
  public record Ca(KeyPair keys, X509Certificate certificate) {
    public String pem() {
      return TestPki.pem(certificate);
    }
  }

  /** A node's key and certificate chain, ready for a TLS server. */
  public record NodeIdentity(KeyPair keys, X509Certificate leaf, X509Certificate ca) {
    public String fingerprint() {
      return Fingerprints.sha256(leaf);
    }

    public SSLContext serverContext() {
      try {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
            "node", keys.getPrivate(), "pw".toCharArray(), new X509Certificate[] {leaf, ca});
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "pw".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private TestPki() {}

  public static Ca newCa(String name) {
    try {
      KeyPair keys = keyPair();
      X500Name subject = new X500Name("CN=" + name + ",OU=test,O=PVE Cluster Manager CA");
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(Instant.now().minus(1, ChronoUnit.DAYS)),
              Date.from(Instant.now().plus(3650, ChronoUnit.DAYS)),
              subject,
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new Ca(keys, sign(b, keys));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static NodeIdentity issueNode(Ca ca, String nodeName) {
    return issueNode(ca, nodeName, true);
  }

  /** A node certificate; without loopback SANs it only names {@code nodeName}. */
  public static NodeIdentity issueNode(Ca ca, String nodeName, boolean loopbackSans) {
    try {
      KeyPair keys = keyPair();
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              ca.certificate(),
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(Instant.now().minus(1, ChronoUnit.DAYS)),
              Date.from(Instant.now().plus(700, ChronoUnit.DAYS)),
              new X500Name(
                  "CN="
                      + nodeName
                      + ".lab.example,OU=PVE Cluster Node,O=Proxmox Virtual Environment"),
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              loopbackSans
                  ? new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.dNSName, nodeName)
                  }
                  : new GeneralName[] {new GeneralName(GeneralName.dNSName, nodeName)}));
      return new NodeIdentity(keys, sign(b, ca.keys()), ca.certificate());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(X509Certificate cert) {
    try {
      StringWriter out = new StringWriter();
      out.write("-----BEGIN CERTIFICATE-----\n");
      out.write(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded()));
      out.write("\n-----END CERTIFICATE-----\n");
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
    kpg.initialize(256);
    return kpg.generateKeyPair();
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }
}
