package dev.nimbus.pvesim;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificates, like a real cluster: one CA ({@code pve-root-ca.pem}) and one leaf
 * per node signed by it, with SAN {@code IP:127.0.0.1, DNS:localhost, DNS:<node>}. EC P-256 keys,
 * cached per JVM so many simulators start quickly.
 */
final class ClusterPki {
  private static final Map<String, KeyPair> KEY_CACHE = new ConcurrentHashMap<>();

  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final String clusterName;
  private final X500Name caSubject;

  ClusterPki(String clusterName) {
    this.clusterName = clusterName;
    this.caKeys = keyPair("ca");
    this.caSubject =
        new X500Name(
            "CN=Proxmox Virtual Environment,OU=" + clusterName + ",O=PVE Cluster Manager CA");
    try {
      Instant now = Instant.now();
      X500Name subject =
          new X500Name(
              "CN=Proxmox Virtual Environment,OU=" + clusterName + ",O=PVE Cluster Manager CA");
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minusSeconds(86_400)),
              Date.from(now.plusSeconds(86_400L * 3650)),
              subject,
              caKeys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          ext.createSubjectKeyIdentifier(caKeys.getPublic()));
      caCert = new JcaX509CertificateConverter().getCertificate(b.build(signer()));
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create the simulator's CA", e);
    }
  }

  private ContentSigner signer() throws Exception {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
  }

  X509Certificate caCertificate() {
    return caCert;
  }

  String caPem() {
    return pem(caCert);
  }

  /** A node's leaf certificate plus the SSL context serving it. */
  record Leaf(
      X509Certificate certificate,
      SSLContext sslContext,
      NodeCertificate info,
      RotatingKeyManager keyManager) {}

  /**
   * The key manager a node's listener serves with; {@link #switchTo} puts another certificate in
   * place for every handshake that follows, as a restarted pveproxy would.
   */
  static final class RotatingKeyManager extends javax.net.ssl.X509ExtendedKeyManager {
    private volatile javax.net.ssl.X509ExtendedKeyManager delegate;

    RotatingKeyManager(javax.net.ssl.X509ExtendedKeyManager delegate) {
      this.delegate = delegate;
    }

    void switchTo(RotatingKeyManager other) {
      this.delegate = other.delegate;
    }

    @Override
    public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
      return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(
        String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
      return delegate.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
      return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(
        String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
      return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(
        String keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
      return delegate.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate.getCertificateChain(alias);
    }

    @Override
    public java.security.PrivateKey getPrivateKey(String alias) {
      return delegate.getPrivateKey(alias);
    }
  }

  Leaf issue(String node, int index) {
    return issue(node, index, 0);
  }

  /** A node's certificate; each {@code generation} has its own key (a renewed certificate). */
  Leaf issue(String node, int index, int generation) {
    try {
      KeyPair keys = keyPair("node-" + index + (generation == 0 ? "" : "-g" + generation));
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              caSubject,
              BigInteger.valueOf(now.toEpochMilli() * 100 + index * 10L + generation),
              Date.from(now.minusSeconds(3600)),
              Date.from(now.plusSeconds(86_400L * 730)),
              new X500Name(
                  "CN=" + node + ".local,OU=PVE Cluster Node,O=Proxmox Virtual Environment"),
              keys.getPublic());
      List<String> san = List.of("IP Address:127.0.0.1", "DNS:localhost", "DNS:" + node);
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.dNSName, node)
              }));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer()));

      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] pass = "simulator".toCharArray();
      ks.setKeyEntry("node", keys.getPrivate(), pass, new X509Certificate[] {cert, caCert});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pass);
      RotatingKeyManager km =
          new RotatingKeyManager((javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0]);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new javax.net.ssl.KeyManager[] {km}, null, null);
      // No session resumption: a rotated certificate must be presented on the next connection.
      ctx.getServerSessionContext().setSessionCacheSize(1);
      ctx.getServerSessionContext().setSessionTimeout(1);

      NodeCertificate info =
          new NodeCertificate(
              pem(cert),
              fingerprint(cert),
              cert.getSubjectX500Principal().getName(),
              cert.getIssuerX500Principal().getName(),
              cert.getNotBefore().toInstant().getEpochSecond(),
              cert.getNotAfter().toInstant().getEpochSecond(),
              new ArrayList<>(san.stream().map(s -> s.substring(s.indexOf(':') + 1)).toList()),
              "id-ecPublicKey",
              256);
      return new Leaf(cert, ctx, info, km);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot issue the certificate of node " + node, e);
    }
  }

  /** SHA-256 of the DER certificate, upper-case hex pairs joined by colons (Proxmox's format). */
  static String fingerprint(X509Certificate cert) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(object);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  private static KeyPair keyPair(String name) {
    return KEY_CACHE.computeIfAbsent(
        name.toLowerCase(Locale.ROOT),
        k -> {
          try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Override
  public String toString() {
    return "ClusterPki[" + clusterName + "]";
  }
}
