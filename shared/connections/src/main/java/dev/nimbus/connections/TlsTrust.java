package dev.nimbus.connections;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How the Proxmox certificate is verified; never skipped. Any of: the SHA-256 fingerprint of each
 * node's certificate, pinned (upper-case hex pairs joined by colons, as {@code GET /nodes} shows
 * {@code ssl_fingerprint}); a CA certificate in PEM (for example the cluster's {@code
 * pve-root-ca.pem}); or, chosen explicitly, the JVM's system trust store (for ACME certificates).
 */
public record TlsTrust(
    SortedMap<String, String> pinnedFingerprints,
    Optional<String> caPem,
    boolean useSystemTrustStore) {

  public TlsTrust {
    Objects.requireNonNull(pinnedFingerprints, "pinnedFingerprints");
    TreeMap<String, String> normal = new TreeMap<>();
    // Proxmox prints fingerprints in upper case; accept lower case and store one form.
    pinnedFingerprints.forEach(
        (node, fp) -> normal.put(node, fp == null ? null : fp.toUpperCase(Locale.ROOT)));
    pinnedFingerprints = Collections.unmodifiableSortedMap(normal);
    caPem = caPem == null ? Optional.empty() : caPem;
  }

  /** Trust exactly these per-node fingerprints. */
  public static TlsTrust pinned(Map<String, String> fingerprints) {
    return new TlsTrust(new TreeMap<>(fingerprints), Optional.empty(), false);
  }

  /** Trust certificates signed by this CA. */
  public static TlsTrust certificateAuthority(String pem) {
    return new TlsTrust(new TreeMap<>(), Optional.of(pem), false);
  }

  /** Trust the JVM's default trust store (public CAs such as Let's Encrypt). */
  public static TlsTrust systemTrustStore() {
    return new TlsTrust(new TreeMap<>(), Optional.empty(), true);
  }
}
