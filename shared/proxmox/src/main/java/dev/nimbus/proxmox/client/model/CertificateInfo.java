package dev.nimbus.proxmox.client.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** One entry of {@code GET /nodes/{node}/certificates/info} (pve-ssl.pem, pveproxy-ssl.pem...). */
public record CertificateInfo(
    String filename,
    String fingerprint,
    String subject,
    String issuer,
    List<String> san,
    Instant notBefore,
    Instant notAfter,
    String pem,
    JsonNode raw) {

  public static CertificateInfo from(JsonNode n) {
    List<String> san = new ArrayList<>();
    Lenient.array(n, "san").forEach(v -> san.add(v.asString()));
    Long before = Lenient.longValue(n, "notbefore");
    Long after = Lenient.longValue(n, "notafter");
    return new CertificateInfo(
        Lenient.text(n, "filename"),
        Lenient.text(n, "fingerprint"),
        Lenient.text(n, "subject"),
        Lenient.text(n, "issuer"),
        List.copyOf(san),
        before == null ? null : Instant.ofEpochSecond(before),
        after == null ? null : Instant.ofEpochSecond(after),
        Lenient.text(n, "pem"),
        n);
  }
}
