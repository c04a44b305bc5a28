package dev.nimbus.proxmox.client.tls;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How the client decides to trust a Proxmox server. There is deliberately no "trust all" mode: pin
 * the node certificates, trust the cluster CA ({@code /etc/pve/pve-root-ca.pem}), or use the JVM
 * trust store (ACME or corporate certificates).
 */
public sealed interface TlsTrust {

  /**
   * Accepts a server whose leaf certificate matches any of these SHA-256 fingerprints (one per
   * node, as {@code GET /nodes} reports in {@code ssl_fingerprint}). Host names are not checked:
   * the pin is stronger, and a tunnel host name never matches a node certificate.
   */
  record PinnedFingerprints(Set<String> fingerprints) implements TlsTrust {
    public PinnedFingerprints {
      Objects.requireNonNull(fingerprints, "fingerprints");
      if (fingerprints.isEmpty()) {
        throw new IllegalArgumentException("at least one fingerprint must be pinned");
      }
      Set<String> normalized = new LinkedHashSet<>();
      fingerprints.forEach(f -> normalized.add(Fingerprints.normalize(f)));
      fingerprints = Set.copyOf(normalized);
    }

    public static PinnedFingerprints of(String... fingerprints) {
      return new PinnedFingerprints(Set.of(fingerprints));
    }
  }

  /** Trusts certificates issued by the given CA certificate(s), PEM; host names are checked. */
  record CustomCa(String pem) implements TlsTrust {
    public CustomCa {
      Objects.requireNonNull(pem, "pem");
      if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
        throw new IllegalArgumentException("CA must be a PEM certificate");
      }
    }

    @Override
    public String toString() {
      return "CustomCa[pem]";
    }
  }

  /** The JVM's default trust store; host names are checked. */
  record SystemTrustStore() implements TlsTrust {}

  /** Pinned fingerprints, or an empty set for the other modes. */
  default Set<String> pinned() {
    return this instanceof PinnedFingerprints p ? p.fingerprints() : Set.of();
  }
}
