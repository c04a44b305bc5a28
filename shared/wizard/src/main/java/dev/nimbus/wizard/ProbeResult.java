package dev.nimbus.wizard;

import dev.nimbus.proxmox.client.tls.CertificateProbe;
import java.util.List;

/**
 * The entry node's certificate chain as the TLS handshake showed it (nothing else was sent), for
 * the user to compare and pin.
 */
public record ProbeResult(
    String host,
    int port,
    String fingerprint,
    boolean trustedBySystem,
    boolean hostnameMatches,
    List<CertificateProbe.ProbedCertificate> chain) {
  public ProbeResult {
    chain = List.copyOf(chain);
  }
}
