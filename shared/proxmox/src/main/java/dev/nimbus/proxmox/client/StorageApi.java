package dev.nimbus.proxmox.client;

import dev.nimbus.proxmox.client.model.StorageConfig;
import java.util.List;
import java.util.Map;

/** Cluster storage configuration, {@code /storage}; per-node status is on {@link NodeApi}. */
public final class StorageApi {
  private final ProxmoxClient client;

  StorageApi(ProxmoxClient client) {
    this.client = client;
  }

  /** {@code GET /storage}: every storage.cfg entry. */
  public List<StorageConfig> config() {
    return client.getList("/storage", Map.of(), StorageConfig::from);
  }
}
