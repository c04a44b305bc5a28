package dev.nimbus.connections;

import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import java.util.Map;
import java.util.Optional;

/** Valid inputs the tests start from and then spoil one field at a time. */
final class TestData {
  /** Shaped like a real Proxmox token secret (a UUID); made up for the tests. */
  static final String TOKEN_SECRET = "5f0c2a7e-9d41-4b8a-a3c6-7e1f2b9d4c80";

  static final String HEADER_SECRET = "cf-access-secret-3b9e7d1a5c";
  static final String FINGERPRINT =
      "3C:9A:41:7E:0B:D2:58:F1:6A:C4:29:8E:B7:05:D3:1F:92:6E:AC:47:18:B0:F5:3D:E9:72:0C:A6:5B:81:4F:D8";

  private TestData() {}

  static ConnectionSettings settings() {
    return new ConnectionSettings(
        "Lab cluster",
        new Endpoint("pve.lab.example", 8006, Optional.empty()),
        Optional.empty(),
        TlsTrust.pinned(Map.of("pve1", FINGERPRINT)),
        "discovery@pve!ro",
        DiscoveryScope.everything(),
        "rate(15 minutes)");
  }

  static ConnectionDraft draft(String connectionId) {
    return new ConnectionDraft(
        connectionId,
        settings(),
        Secret.of(TOKEN_SECRET),
        Map.of("CF-Access-Client-Secret", Secret.of(HEADER_SECRET)));
  }
}
