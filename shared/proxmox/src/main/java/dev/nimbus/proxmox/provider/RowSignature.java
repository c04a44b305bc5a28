package dev.nimbus.proxmox.provider;

import dev.nimbus.model.Attributes;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.Normalize;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.proxmox.client.model.ClusterResource;
import java.util.List;

/**
 * What a guest's {@code /cluster/resources} row says about it, in a form that can be compared with
 * the CI stored by the previous run. A guest whose row signature differs from its previous CI's has
 * changed in a way the row shows (renamed, migrated, started, stopped, resized memory or CPUs,
 * tagged, moved to another pool, HA state) and gets its config re-read.
 *
 * <p>The row fields go into the guest's attributes unchanged, which is what makes the two
 * signatures comparable without keeping any extra state between runs. {@code lock} is left out: a
 * nightly backup would otherwise re-read, and record, every guest twice a night.
 */
final class RowSignature {
  private RowSignature() {}

  static void putRowAttributes(Attributes.Builder attrs, ClusterResource row) {
    attrs
        .put("vmid", row.vmid())
        .put("node", row.node())
        .put("powerState", row.status())
        .put("template", row.template())
        // Proxmox lower-cases and sorts tags on write since 7.3, but older configs keep their
        // own order and case: normalize so neither shows up as a change.
        .put("tags", row.tags() == null ? List.of() : Normalize.tags(String.join(";", row.tags())))
        .put("pool", blankToNull(row.pool()))
        .put("haState", blankToNull(row.hastate()))
        .put("vcpus", row.maxcpu())
        .put("memoryBytes", row.maxmem());
  }

  static String of(ClusterResource row) {
    Attributes.Builder attrs = Attributes.builder();
    putRowAttributes(attrs, row);
    return of(name(row), attrs.build());
  }

  static String of(ConfigurationItem previous) {
    return of(previous.name(), previous.attributes());
  }

  /**
   * The name a guest's CI gets: the row's (Proxmox copies it from the config), else {@code
   * qemu/101}. Always from the row, so that the signature of an unchanged guest never differs.
   */
  static String name(ClusterResource row) {
    return row.name() == null || row.name().isBlank() ? row.type() + "/" + row.vmid() : row.name();
  }

  private static String of(String name, Attributes a) {
    StringBuilder s = new StringBuilder(name == null ? "" : name);
    for (String key :
        List.of(
            "vmid",
            "node",
            "powerState",
            "template",
            "tags",
            "pool",
            "haState",
            "vcpus",
            "memoryBytes")) {
      s.append('|')
          .append(key)
          .append('=')
          .append(dev.nimbus.model.CanonicalJson.write(a.get(key)));
    }
    return s.toString();
  }

  /** The node a previous guest CI ran on, from its relationship. */
  static String previousNode(ConfigurationItem previous) {
    return previous.relationships(RelationshipKind.RUNS_ON).stream()
        .map(r -> r.targetNativeKey().substring("node/".length()))
        .findFirst()
        .orElse(null);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
