package dev.nimbus.proxmox.client.model;

import tools.jackson.databind.JsonNode;

/** {@code GET /version}: the pve-manager version of the answering node, parsed. */
public record VersionInfo(
    String version, String release, String repoid, ProxmoxVersion parsed, JsonNode raw) {

  public static VersionInfo from(JsonNode data) {
    String version = Lenient.text(data, "version");
    String release = Lenient.text(data, "release");
    ProxmoxVersion parsed = ProxmoxVersion.parse(version != null ? version : release);
    return new VersionInfo(version, release, Lenient.text(data, "repoid"), parsed, data);
  }
}
