package dev.nimbus.proxmox.client.tls;

import java.security.cert.CertificateException;

/** Thrown inside the TLS handshake when the server's certificate matches no pinned fingerprint. */
public final class FingerprintMismatchException extends CertificateException {
  private final String seen;

  public FingerprintMismatchException(String seen) {
    super("server certificate fingerprint " + seen + " is not pinned");
    this.seen = seen;
  }

  /** The SHA-256 fingerprint the server presented, colon-hex upper case. */
  public String seen() {
    return seen;
  }
}
