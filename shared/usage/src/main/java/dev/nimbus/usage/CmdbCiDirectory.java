package dev.nimbus.usage;

import dev.nimbus.cmdb.CiRepository;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CMDB's facts for showback, read at most once per invocation and only when asked: the
 * connection's CIs in one paginated query (nodes, pools, tags, storage types, shared storages, QEMU
 * VMs with an agent).
 */
public final class CmdbCiDirectory implements CiDirectory {
  private final CiRepository repository;
  private Map<String, CiFacts> facts;
  private Set<String> shared;
  private Set<String> agentVms;
  private int reads;

  public CmdbCiDirectory(CiRepository repository) {
    this.repository = repository;
  }

  public int reads() {
    return reads;
  }

  @Override
  public Map<String, CiFacts> facts(ConnectionRef connection) {
    load(connection);
    return facts;
  }

  /** Shared storage ids from the CMDB, or null when it has no storage CI yet. */
  public Set<String> sharedStorage(ConnectionRef connection) {
    load(connection);
    return shared;
  }

  public Set<String> agentVms(ConnectionRef connection) {
    load(connection);
    return agentVms;
  }

  private void load(ConnectionRef connection) {
    if (facts != null) {
      return;
    }
    reads++;
    List<ConfigurationItem> items = new ArrayList<>();
    for (StoredCi s : repository.allOfConnection(connection)) {
      if (s.status() != CiStatus.RESOURCE_DELETED) {
        items.add(s.item());
      }
    }
    Map<String, String> storageTypes = new HashMap<>();
    Set<String> sharedIds = null;
    for (ConfigurationItem ci : items) {
      if (ci.nativeKey().startsWith("storage/")) {
        String id = text(ci.attributes().get("storage"));
        storageTypes.put(id, text(ci.attributes().get("type")));
        if (sharedIds == null) {
          sharedIds = new LinkedHashSet<>();
        }
        if (Boolean.TRUE.equals(ci.attributes().get("shared"))) {
          sharedIds.add(id);
        }
      }
    }
    Map<String, CiFacts> out = new HashMap<>();
    Set<String> agents = new LinkedHashSet<>();
    for (ConfigurationItem ci : items) {
      CiFacts base = CiFacts.fromKey(ci.nativeKey());
      if (base.kind() != CiFacts.Kind.GUEST) {
        out.put(ci.nativeKey(), base);
        continue;
      }
      var a = ci.attributes();
      String storageType = null;
      if (a.get("disks") instanceof List<?> disks
          && !disks.isEmpty()
          && disks.getFirst() instanceof Map<?, ?> first) {
        storageType = storageTypes.get(text(first.get("storage")));
      }
      List<String> tags = new ArrayList<>();
      if (a.get("tags") instanceof List<?> t) {
        t.forEach(x -> tags.add(String.valueOf(x)));
      }
      out.put(
          ci.nativeKey(),
          new CiFacts(
              ci.nativeKey(),
              CiFacts.Kind.GUEST,
              text(a.get("node")),
              CiFacts.withAncestors(text(a.get("pool"))),
              tags,
              storageType));
      if (ci.nativeKey().startsWith("qemu/") && Boolean.TRUE.equals(a.get("agentEnabled"))) {
        agents.add(ci.nativeKey());
      }
    }
    facts = out;
    shared = sharedIds;
    agentVms = agents;
  }

  private static String text(Object o) {
    return o == null ? null : o.toString();
  }
}
