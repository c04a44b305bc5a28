package dev.nimbus.tunnel;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority that lives for one deployment run, in memory only: a CA certificate the
 * provider is told to trust, and one leaf for {@code 127.0.0.1}/{@code localhost} that the loopback
 * forwarder serves. The private keys never leave this object (no file, no PEM of a key), so the
 * trust it creates ends with the run.
 */
public final class RunCertificateAuthority {
  private static final Duration VALIDITY = Duration.ofHours(12);

  private final X509Certificate caCertificate;
  private final X509Certificate leafCertificate;
  private final SSLContext serverContext;

  private RunCertificateAuthority(
      X509Certificate ca, X509Certificate leaf, SSLContext serverContext) {
    this.caCertificate = ca;
    this.leafCertificate = leaf;
    this.serverContext = serverContext;
  }

  /** A new CA and loopback leaf (EC P-256, valid for 12 hours from a minute ago). */
  public static RunCertificateAuthority create() {
    try {
      SecureRandom random = new SecureRandom();
      KeyPair caKeys = keyPair(random);
      KeyPair leafKeys = keyPair(random);
      Instant now = Instant.now();
      Date from = Date.from(now.minusSeconds(60));
      Date until = Date.from(now.plus(VALIDITY));
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

      X500Name caName = new X500Name("CN=Nimbus deployment run CA,O=Nimbus");
      var ca =
          new JcaX509v3CertificateBuilder(
              caName, new BigInteger(127, random), from, until, caName, caKeys.getPublic());
      ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      ca.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      ca.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          ext.createSubjectKeyIdentifier(caKeys.getPublic()));
      var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
      X509Certificate caCert = new JcaX509CertificateConverter().getCertificate(ca.build(signer));

      var leaf =
          new JcaX509v3CertificateBuilder(
              caName,
              new BigInteger(127, random),
              from,
              until,
              new X500Name("CN=127.0.0.1,O=Nimbus"),
              leafKeys.getPublic());
      leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      leaf.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      leaf.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      // Go (the provider) checks only SANs, never the CN.
      leaf.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
      leaf.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      X509Certificate leafCert =
          new JcaX509CertificateConverter().getCertificate(leaf.build(signer));

      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] pass = new char[0];
      store.setKeyEntry(
          "leaf", leafKeys.getPrivate(), pass, new X509Certificate[] {leafCert, caCert});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, pass);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, random);
      return new RunCertificateAuthority(caCert, leafCert, context);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the run's certificate authority", e);
    }
  }

  private static KeyPair keyPair(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), random);
    return g.generateKeyPair();
  }

  /** The CA certificate in PEM: what the provider is told to trust. */
  public String caCertificatePem() {
    try (StringWriter out = new StringWriter();
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(caCertificate);
      pem.flush();
      return out.toString();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot encode the CA certificate", e);
    }
  }

  public X509Certificate caCertificate() {
    return caCertificate;
  }

  public X509Certificate leafCertificate() {
    return leafCertificate;
  }

  /** The server side of the forwarder: presents the leaf (and the CA) for {@code 127.0.0.1}. */
  SSLContext serverContext() {
    return serverContext;
  }

  static InetAddress loopback() {
    return InetAddress.getLoopbackAddress();
  }
}
