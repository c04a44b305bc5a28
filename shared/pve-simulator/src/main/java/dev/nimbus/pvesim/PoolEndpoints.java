package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pools. PVE 8.1 added nested ids and {@code GET/PUT/DELETE /pools?poolid=} (GET answers an array
 * with members); {@code /pools/{poolid}} stays (deprecated) and cannot address nested ids.
 */
final class PoolEndpoints {
  private final Cluster cluster;
  private final Views views;

  PoolEndpoints(Cluster cluster, Views views) {
    this.cluster = cluster;
    this.views = views;
  }

  void register(Router r) {
    r.get("/pools", c -> cluster.read(() -> list(c)));
    r.add("POST", "/pools", this::create);
    if (cluster.version.hasNestedPools()) {
      r.add("PUT", "/pools", c -> update(c, c.param("poolid")));
      r.add("DELETE", "/pools", c -> delete(c, c.param("poolid")));
    }
    r.get(
        "/pools/{poolid}",
        c ->
            cluster.read(
                () -> {
                  if (c.var("poolid").contains("/")) {
                    // The deprecated endpoint's poolid format has no '/': nested pools need
                    // ?poolid=.
                    throw ApiException.parameter(
                        "poolid", "invalid format - value does not look like a valid pool id");
                  }
                  Pool p = pool(c, c.var("poolid"));
                  c.require("/pool/" + p.id, "Pool.Audit");
                  Map<String, Object> out = new LinkedHashMap<>();
                  if (p.comment != null) {
                    out.put("comment", p.comment);
                  }
                  out.put("members", members(c, p));
                  return out;
                }));
    r.add("PUT", "/pools/{poolid}", c -> update(c, c.var("poolid")));
    r.add("DELETE", "/pools/{poolid}", c -> delete(c, c.var("poolid")));
  }

  private Pool pool(Call c, String id) {
    if (id == null) {
      throw ApiException.parameter("poolid", "property is missing and it is not optional");
    }
    Pool p = cluster.pools.get(id);
    if (p == null) {
      throw new ApiException(500, "pool '" + id + "' does not exist");
    }
    return p;
  }

  private List<Object> members(Call c, Pool p) {
    String type = c.param("type");
    List<Object> out = new ArrayList<>();
    for (int vmid : p.vmids) {
      Guest g = cluster.guests.get(vmid);
      if (g != null
          && (type == null || type.equals(g.type().apiName()))
          && c.can("/vms/" + vmid, "VM.Audit")) {
        out.add(views.poolMember(g));
      }
    }
    if (type == null || type.equals("storage")) {
      for (String sid : p.storages) {
        for (Storage s : cluster.storages) {
          if (s.id().equals(sid) && ClusterEndpoints.canSeeStorage(c, sid)) {
            for (Node n : cluster.nodes.values()) {
              if (s.availableOn(n.name())) {
                out.add(views.storageResourceRow(s, n.name()));
              }
            }
          }
        }
      }
    }
    return out;
  }

  private Object list(Call c) {
    String poolid = c.param("poolid");
    if (!cluster.version.hasNestedPools() && (poolid != null || c.param("type") != null)) {
      String key = poolid != null ? "poolid" : "type";
      throw ApiException.parameter(
          key,
          "property is not defined in schema and the schema does not allow additional properties");
    }
    String type = c.param("type");
    if (type != null && !List.of("qemu", "lxc", "storage").contains(type)) {
      throw ApiException.parameter(
          "type",
          "value '" + type + "' does not have a value in the enumeration 'qemu, lxc, storage'");
    }
    List<Object> out = new ArrayList<>();
    for (Pool p : cluster.pools.values()) {
      if ((poolid != null && !poolid.equals(p.id)) || !c.can("/pool/" + p.id, "Pool.Audit")) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("poolid", p.id);
      if (p.comment != null) {
        row.put("comment", p.comment);
      }
      if (poolid != null) {
        row.put("members", members(c, p));
      }
      out.add(row);
    }
    if (poolid != null && out.isEmpty()) {
      pool(c, poolid);
      throw ApiException.permission("/pool/" + poolid, "Pool.Audit");
    }
    return out;
  }

  private Object create(Call c) {
    String id = c.param("poolid");
    if (id == null) {
      throw ApiException.parameter("poolid", "property is missing and it is not optional");
    }
    validateId(id);
    c.require("/pool/" + id, "Pool.Allocate");
    return cluster.write(
        () -> {
          if (cluster.pools.containsKey(id)) {
            throw new ApiException(500, "create pool failed: pool '" + id + "' already exists");
          }
          int slash = id.lastIndexOf('/');
          if (slash > 0 && !cluster.pools.containsKey(id.substring(0, slash))) {
            throw new ApiException(
                500, "parent pool '" + id.substring(0, slash) + "' does not exist");
          }
          cluster.addPool(id, c.param("comment"));
          return null;
        });
  }

  private void validateId(String id) {
    String pattern =
        cluster.version.hasNestedPools()
            ? "[A-Za-z0-9.\\-_]+(/[A-Za-z0-9.\\-_]+){0,2}"
            : "[A-Za-z0-9.\\-_]+";
    if (!id.matches(pattern)) {
      throw ApiException.parameter(
          "poolid", "invalid format - value does not look like a valid pool id");
    }
  }

  private Object update(Call c, String id) {
    if (id == null) {
      throw ApiException.parameter("poolid", "property is missing and it is not optional");
    }
    validateId(id);
    c.require("/pool/" + id, "Pool.Allocate");
    List<Integer> vms = new ArrayList<>();
    if (c.param("vms") != null) {
      for (String v : c.param("vms").split("[,;\\s]+")) {
        if (!v.isEmpty()) {
          vms.add(Integer.parseInt(v));
        }
      }
    }
    List<String> storages = new ArrayList<>();
    if (c.param("storage") != null) {
      for (String s : c.param("storage").split("[,;\\s]+")) {
        if (!s.isEmpty()) {
          storages.add(s);
        }
      }
    }
    boolean remove = c.flag("delete");
    for (int vmid : vms) {
      c.require("/vms/" + vmid, "VM.Allocate");
    }
    cluster.write(
        () -> {
          Pool p = pool(c, id);
          if (c.param("comment") != null) {
            p.comment = c.param("comment");
          }
          cluster.setPoolMembers(id, vms, storages, remove, c.flag("allow-move"));
          return null;
        });
    return null;
  }

  private Object delete(Call c, String id) {
    if (id == null) {
      throw ApiException.parameter("poolid", "property is missing and it is not optional");
    }
    c.require("/pool/" + id, "Pool.Allocate");
    return cluster.write(
        () -> {
          Pool p = pool(c, id);
          if (!p.vmids.isEmpty() || !p.storages.isEmpty()) {
            throw new ApiException(500, "delete pool failed: pool '" + id + "' is not empty");
          }
          if (cluster.pools.keySet().stream().anyMatch(k -> k.startsWith(id + "/"))) {
            throw new ApiException(500, "delete pool failed: pool '" + id + "' has sub-pools");
          }
          cluster.pools.remove(id);
          return null;
        });
  }
}
