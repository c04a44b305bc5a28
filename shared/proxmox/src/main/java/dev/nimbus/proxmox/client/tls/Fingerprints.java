package dev.nimbus.proxmox.client.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 certificate fingerprints in the colon-hex form Proxmox shows ({@code 9A:0B:...}). */
public final class Fingerprints {
  private Fingerprints() {}

  /** The SHA-256 fingerprint of the DER encoding, colon-hex upper case. */
  public static String sha256(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint certificate", e);
    }
  }

  /**
   * Normalises a fingerprint as a user may paste it (lower case, with or without colons, with
   * spaces) to colon-hex upper case; rejects anything that is not 32 bytes of hex.
   */
  public static String normalize(String fingerprint) {
    String hex = fingerprint.replaceAll("[\\s:]", "").toUpperCase(Locale.ROOT);
    if (!hex.matches("[0-9A-F]{64}")) {
      throw new IllegalArgumentException("not a SHA-256 fingerprint (expected 32 hex bytes)");
    }
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
  }
}
