package dev.nimbus.proxmox.client.model;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A resource pool. Since PVE 8.1 ids may be nested ({@code parent/child}). {@code members} is empty
 * in the plain list and filled by the per-pool read; {@code membersLoaded} says which.
 */
public record Pool(
    String poolid, String comment, List<PoolMember> members, boolean membersLoaded, JsonNode raw) {

  public static Pool from(JsonNode n) {
    List<PoolMember> members = new ArrayList<>();
    Lenient.array(n, "members").forEach(m -> members.add(PoolMember.from(m)));
    return new Pool(
        Lenient.text(n, "poolid"),
        Lenient.text(n, "comment"),
        List.copyOf(members),
        Lenient.field(n, "members").isArray(),
        n);
  }

  /** Same as {@link #from} for the deprecated {@code /pools/{id}} answer, which omits poolid. */
  public static Pool from(JsonNode n, String poolid) {
    Pool p = from(n);
    return new Pool(poolid, p.comment(), p.members(), p.membersLoaded(), n);
  }

  /** One pool member: a guest or a storage, with the stats of its resource row. */
  public record PoolMember(
      String id,
      String type,
      String node,
      Integer vmid,
      String storage,
      String name,
      JsonNode raw) {

    public static PoolMember from(JsonNode n) {
      return new PoolMember(
          Lenient.text(n, "id"),
          Lenient.text(n, "type"),
          Lenient.text(n, "node"),
          Lenient.intValue(n, "vmid"),
          Lenient.text(n, "storage"),
          Lenient.text(n, "name"),
          n);
    }
  }
}
