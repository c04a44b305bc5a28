package dev.nimbus.proxmox.provider;

import dev.nimbus.model.Attributes;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.Relationship;
import dev.nimbus.model.RelationshipKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The CIs the previous runs left, by native key: what a run falls back on when a call fails. The
 * rule it serves: what a failed call would have supplied, attributes or relationships, keeps its
 * previous value, so a fault never shows up as a change.
 */
final class PreviousCis {
  private final Map<String, ConfigurationItem> byKey = new HashMap<>();

  PreviousCis(Collection<ConfigurationItem> items) {
    for (ConfigurationItem ci : items) {
      byKey.put(ci.nativeKey(), ci);
    }
  }

  ConfigurationItem get(String key) {
    return byKey.get(key);
  }

  Optional<ConfigurationItem> find(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  Collection<ConfigurationItem> all() {
    return byKey.values();
  }

  /** The previous CIs whose native key starts with {@code prefix}, e.g. {@code sdn/zone/}. */
  List<ConfigurationItem> family(String prefix) {
    return byKey.values().stream().filter(ci -> ci.nativeKey().startsWith(prefix)).toList();
  }

  /**
   * Which storages were shared, as the previous run's storage CIs say ({@code storage/<sid>} is
   * shared, {@code storage/<node>/<sid>} local): the fallback when {@code /storage} fails, so that
   * disks keep their {@code stored on} edges.
   */
  Map<String, Boolean> sharedStorage() {
    Map<String, Boolean> out = new TreeMap<>();
    for (ConfigurationItem ci : family("storage/")) {
      String[] parts = ci.nativeKey().split("/", -1);
      if (parts.length == 2) {
        out.put(parts[1], true);
      } else if (parts.length == 3) {
        out.putIfAbsent(parts[2], false);
      }
    }
    return out;
  }

  /** The SDN vnet names the previous run knew: the fallback when the vnet list fails. */
  Set<String> vnetNames() {
    Set<String> out = new TreeSet<>();
    for (ConfigurationItem ci : family("sdn/vnet/")) {
      out.add(ci.nativeKey().substring("sdn/vnet/".length()));
    }
    return out;
  }

  /**
   * {@code ci} with the attributes {@code keys} and the relationships {@code edges} accepts taken
   * from the previous CI of the same key (dropped when that had none). Without a previous CI,
   * {@code ci} is returned as it is: there is nothing older to keep.
   */
  ConfigurationItem keep(ConfigurationItem ci, Set<String> keys, Predicate<Relationship> edges) {
    ConfigurationItem before = byKey.get(ci.nativeKey());
    if (before == null) {
      return ci;
    }
    Map<String, Object> attrs = new TreeMap<>(ci.attributes().asMap());
    for (String key : keys) {
      Object previous = before.attributes().get(key);
      if (previous == null) {
        attrs.remove(key);
      } else {
        attrs.put(key, previous);
      }
    }
    List<Relationship> rels = new ArrayList<>();
    for (Relationship r : ci.relationships()) {
      if (!edges.test(r)) {
        rels.add(r);
      }
    }
    for (Relationship r : before.relationships()) {
      if (edges.test(r)) {
        rels.add(r);
      }
    }
    return new ConfigurationItem(
        ci.id(),
        ci.provider(),
        ci.connection(),
        ci.nativeKey(),
        ci.semanticType(),
        ci.providerType(),
        ci.name(),
        ci.scope(),
        Attributes.of(attrs),
        rels,
        ci.status());
  }

  /** Keeps only attributes. */
  ConfigurationItem keep(ConfigurationItem ci, Set<String> keys) {
    return keep(ci, keys, r -> false);
  }

  static Predicate<Relationship> kind(RelationshipKind kind) {
    return r -> r.kind() == kind;
  }

  static Predicate<Relationship> kindTo(RelationshipKind kind, String targetPrefix) {
    return r -> r.kind() == kind && r.targetNativeKey().startsWith(targetPrefix);
  }

  /** A CI listed but not readable: its previous content (when known), marked unreachable. */
  ConfigurationItem unreachable(ConfigurationItem listed) {
    ConfigurationItem before = byKey.get(listed.nativeKey());
    return (before != null ? before : listed).withStatus(CiStatus.UNREACHABLE);
  }
}
