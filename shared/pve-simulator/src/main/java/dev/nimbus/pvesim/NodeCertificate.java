package dev.nimbus.pvesim;

import java.util.List;

/** The TLS certificate a simulated node presents, with what {@code certificates/info} shows. */
record NodeCertificate(
    String pem,
    String fingerprint,
    String subject,
    String issuer,
    long notBefore,
    long notAfter,
    List<String> san,
    String publicKeyType,
    int publicKeyBits) {}
