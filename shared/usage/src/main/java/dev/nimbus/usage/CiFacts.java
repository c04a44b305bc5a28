package dev.nimbus.usage;

import java.util.List;
import java.util.Objects;

/**
 * What the showback needs to know about a CI besides its usage, from the CMDB: its kind, the node
 * it runs on (a node's own key for a node), the pools it is in with their ancestors ({@code prod}
 * and {@code prod/web} for a member of {@code prod/web}), its tags and the storage type its disks
 * are on.
 */
public record CiFacts(
    String nativeKey,
    Kind kind,
    String node,
    List<String> compartments,
    List<String> tags,
    String storageType) {

  public enum Kind {
    GUEST,
    NODE,
    STORAGE,
    OTHER
  }

  public CiFacts {
    Objects.requireNonNull(nativeKey, "nativeKey");
    Objects.requireNonNull(kind, "kind");
    compartments = compartments == null ? List.of() : List.copyOf(compartments);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** Facts inferred from the key alone, for a CI the CMDB does not (yet) have. */
  public static CiFacts fromKey(String nativeKey) {
    Kind kind =
        nativeKey.startsWith("qemu/") || nativeKey.startsWith("lxc/")
            ? Kind.GUEST
            : nativeKey.startsWith("node/")
                ? Kind.NODE
                : nativeKey.startsWith("storage/") ? Kind.STORAGE : Kind.OTHER;
    String node = kind == Kind.NODE ? nativeKey.substring(5) : null;
    return new CiFacts(nativeKey, kind, node, List.of(), List.of(), null);
  }

  /** The ancestors of a nested pool path and the path itself: {@code a}, {@code a/b}. */
  public static List<String> withAncestors(String pool) {
    if (pool == null || pool.isBlank()) {
      return List.of();
    }
    String[] parts = pool.split("/");
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    StringBuilder path = new StringBuilder();
    for (String p : parts) {
      if (!path.isEmpty()) {
        path.append('/');
      }
      path.append(p);
      out.add(path.toString());
    }
    return List.copyOf(out);
  }
}
