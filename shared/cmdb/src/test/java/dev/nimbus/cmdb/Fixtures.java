package dev.nimbus.cmdb;

import dev.nimbus.model.Attributes;
import dev.nimbus.model.Attribution;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.Relationship;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test CIs: a small two-node Proxmox cluster read from {@code fixtures/cluster-small.json}, and
 * helpers to build snapshots of it and variations.
 */
public final class Fixtures {
  public static final String PROVIDER = "proxmox";
  public static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  public static final Set<String> ALL_SCOPES = Set.of("cluster", "node/pve1", "node/pve2");

  private static final AtomicInteger NEXT = new AtomicInteger();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Fixtures() {}

  /** A connection no other test uses (tests share one table per class). */
  public static ConnectionRef freshConnection() {
    int n = NEXT.incrementAndGet();
    return new ConnectionRef("tenant-" + n + "-" + System.nanoTime() % 100000, "lab-" + n);
  }

  /** The CIs of the small cluster, seen through {@code connection}. */
  public static List<ConfigurationItem> cluster(ConnectionRef connection) {
    Map<String, Object> root = read("fixtures/cluster-small.json");
    List<ConfigurationItem> items = new ArrayList<>();
    for (Object o : (List<?>) root.get("items")) {
      Map<?, ?> m = (Map<?, ?>) o;
      List<Relationship> relationships = new ArrayList<>();
      Object rels = m.get("relationships");
      if (rels != null) {
        for (Object r : (List<?>) rels) {
          Map<?, ?> rel = (Map<?, ?>) r;
          relationships.add(
              Relationship.to(
                  RelationshipKind.valueOf((String) rel.get("kind")),
                  PROVIDER,
                  connection,
                  (String) rel.get("target"),
                  (String) rel.get("qualifier")));
        }
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> attributes = (Map<String, Object>) m.get("attributes");
      items.add(
          ConfigurationItem.discovered(
              PROVIDER,
              connection,
              (String) m.get("nativeKey"),
              SemanticType.valueOf((String) m.get("type")),
              (String) m.get("providerType"),
              (String) m.get("name"),
              (String) m.get("scope"),
              Attributes.of(attributes),
              relationships));
    }
    return items;
  }

  /** A snapshot that read every scope of the cluster completely. */
  public static DiscoverySnapshot complete(
      ConnectionRef connection, Instant at, List<ConfigurationItem> items) {
    return snapshot(connection, at, items, ALL_SCOPES, Set.of(), Map.of(), Map.of());
  }

  public static DiscoverySnapshot snapshot(
      ConnectionRef connection,
      Instant at,
      List<ConfigurationItem> items,
      Set<String> complete,
      Set<String> unreachable,
      Map<String, Attribution> attributions,
      Map<String, String> providerState) {
    return new DiscoverySnapshot(
        connection,
        at,
        items,
        complete,
        unreachable,
        attributions,
        List.of(),
        new TreeMap<>(providerState),
        42);
  }

  /** The items with the one of {@code nativeKey} replaced by {@code change} applied to it. */
  public static List<ConfigurationItem> changed(
      List<ConfigurationItem> items, String nativeKey, UnaryOperator<ConfigurationItem> change) {
    return items.stream().map(i -> i.nativeKey().equals(nativeKey) ? change.apply(i) : i).toList();
  }

  /** The items without those of {@code scope}. */
  public static List<ConfigurationItem> withoutScope(List<ConfigurationItem> items, String scope) {
    return items.stream().filter(i -> !i.scope().equals(scope)).toList();
  }

  /** The items without the one of {@code nativeKey}. */
  public static List<ConfigurationItem> without(List<ConfigurationItem> items, String nativeKey) {
    return items.stream().filter(i -> !i.nativeKey().equals(nativeKey)).toList();
  }

  /** The CI with one top-level attribute set to {@code value}. */
  public static ConfigurationItem withAttribute(ConfigurationItem ci, String key, Object value) {
    Map<String, Object> attributes = new LinkedHashMap<>(ci.attributes().asMap());
    attributes.put(key, value);
    return withAttributes(ci, Attributes.of(attributes));
  }

  public static ConfigurationItem withAttributes(ConfigurationItem ci, Attributes attributes) {
    return ci.withAttributes(attributes);
  }

  public static ConfigurationItem find(List<ConfigurationItem> items, String nativeKey) {
    return items.stream().filter(i -> i.nativeKey().equals(nativeKey)).findFirst().orElseThrow();
  }

  /**
   * A guest at the far end of what Proxmox allows: 30 NICs, 30 disks, 40 long tags and an 8 KiB
   * description (the Proxmox maximum), each NIC and disk with its full option set.
   */
  public static ConfigurationItem bigGuest(ConnectionRef connection) {
    List<Map<String, Object>> nics = new ArrayList<>();
    List<Relationship> relationships = new ArrayList<>();
    relationships.add(
        Relationship.to(RelationshipKind.RUNS_ON, PROVIDER, connection, "node/pve1", ""));
    for (int i = 0; i < 30; i++) {
      Map<String, Object> nic = new LinkedHashMap<>();
      nic.put("name", "net" + i);
      nic.put("model", "virtio");
      nic.put("mac", String.format("bc:24:11:%02x:%02x:%02x", i, i * 3 % 256, i * 7 % 256));
      nic.put("bridge", "vmbr" + (i % 4));
      nic.put("tag", 100 + i);
      nic.put("firewall", i % 2 == 0);
      nic.put("mtu", 1500);
      nic.put("queues", 4);
      nic.put("rate", 125.5);
      nics.add(nic);
      relationships.add(
          Relationship.to(
              RelationshipKind.ATTACHED_TO,
              PROVIDER,
              connection,
              "network/pve1/vmbr" + (i % 4),
              "net" + i));
    }
    List<Map<String, Object>> disks = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Map<String, Object> disk = new LinkedHashMap<>();
      disk.put("name", "scsi" + i);
      disk.put("storage", "ceph-pool-" + (i % 3));
      disk.put("volume", "vm-4242-disk-" + i);
      disk.put("sizeBytes", (long) (i + 1) * 34359738368L);
      disk.put("cache", "writeback");
      disk.put("discard", true);
      disk.put("iothread", true);
      disk.put("ssd", true);
      disk.put("backup", i % 5 != 0);
      disk.put("serial", "SERIAL-" + "X".repeat(12) + i);
      disks.add(disk);
      relationships.add(
          Relationship.to(
              RelationshipKind.STORED_ON,
              PROVIDER,
              connection,
              "storage/ceph-pool-" + (i % 3),
              "scsi" + i));
    }
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      tags.add("team-platform-engineering-cost-centre-" + i);
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("vmid", 4242);
    attributes.put("cores", 64);
    attributes.put("sockets", 2);
    attributes.put("memoryMiB", 524288);
    attributes.put("ostype", "l26");
    attributes.put("tags", tags);
    attributes.put(
        "description", "Ünïcödé runbook line for the big guest. ".repeat(300).substring(0, 8192));
    attributes.put("nics", nics);
    attributes.put("disks", disks);
    return ConfigurationItem.discovered(
        PROVIDER,
        connection,
        "qemu/4242",
        SemanticType.COMPUTE,
        "qemu",
        "big-guest",
        "node/pve1",
        Attributes.of(attributes),
        relationships);
  }

  private static Map<String, Object> read(String resource) {
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return JSON.readValue(in, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
