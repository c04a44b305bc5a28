package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.ProxmoxClient.seg;

import dev.nimbus.proxmox.client.model.Pool;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Resource pools, {@code /pools}. */
public final class PoolsApi {
  private final ProxmoxClient client;

  PoolsApi(ProxmoxClient client) {
    this.client = client;
  }

  /** {@code GET /pools}: ids and comments (members are not loaded). */
  public List<Pool> list() {
    return client.getList("/pools", Map.of(), Pool::from);
  }

  /**
   * One pool with its members. PVE 8.1+ answers {@code GET /pools?poolid=} (the only form that can
   * address nested pools); older servers reject the parameter or ignore it and return the plain
   * list, so the deprecated {@code GET /pools/{poolid}} is used then.
   */
  public Pool get(String poolid) {
    try {
      for (Pool pool : client.getList("/pools", Map.of("poolid", poolid), Pool::from)) {
        if (poolid.equals(pool.poolid()) && pool.membersLoaded()) {
          return pool;
        }
      }
    } catch (ProxmoxException.ParameterError | ProxmoxException.NotImplemented e) {
      // Server older than 8.1: fall through to the deprecated form.
    }
    if (poolid.contains("/")) {
      throw new IllegalArgumentException("nested pool ids need PVE 8.1 or later");
    }
    String path = "/pools/" + seg(poolid);
    JsonNode data = client.getObject(path, Map.of());
    JsonNode members = data.path("members");
    if (!members.isArray()) {
      // A pool without its member list would read as an empty pool and drop every membership.
      throw ProxmoxErrors.notAList("GET", path, "data.members", members);
    }
    for (int i = 0; i < members.size(); i++) {
      if (!members.get(i).isObject()) {
        throw ProxmoxErrors.badElement("GET", path, i, members.get(i));
      }
    }
    return Pool.from(data, poolid);
  }
}
