package dev.nimbus.wizard;

import dev.nimbus.cmdb.CiHistoryEntry;
import dev.nimbus.cmdb.CiRepository;
import dev.nimbus.cmdb.Page;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.connections.Connection;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.model.CiId;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Relationship;
import dev.nimbus.model.SemanticType;
import dev.nimbus.proxmox.provider.ProxmoxKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The CI browser's reads, always within the caller's tenant: by semantic type, by compartment (a
 * pool), by text, one CI with its relationships resolved to names, and a CI's history with its
 * field-level diffs. CI ids derive from tenant, connection and native key, so a lookup built from
 * the caller's tenant cannot reach another tenant's CI.
 */
public final class CiBrowser {
  /** Text search reads at most this many CIs per connection (it filters in memory). */
  static final int TEXT_SCAN_LIMIT = 5_000;

  static final int MAX_RESULTS = 200;

  private final CiRepository cis;
  private final ConnectionService connections;

  public CiBrowser(CiRepository cis, ConnectionService connections) {
    this.cis = Objects.requireNonNull(cis, "cis");
    this.connections = Objects.requireNonNull(connections, "connections");
  }

  /** A query; at most one of compartment and text is used, type narrows either. */
  public record Query(
      Optional<SemanticType> type,
      Optional<String> connectionId,
      Optional<String> compartment,
      Optional<String> text,
      int pageSize,
      String cursor) {}

  /** One CI and the CIs it points at (with their names where they are stored). */
  public record CiDetail(StoredCi ci, List<Link> relationships) {
    public record Link(Relationship relationship, String targetName, String targetType) {}
  }

  public Page<StoredCi> search(String tenantId, Query q) {
    int size = Math.max(1, Math.min(q.pageSize(), MAX_RESULTS));
    if (q.compartment().isPresent()) {
      ConnectionRef ref = connection(tenantId, q.connectionId(), "compartment");
      CiId pool = CiId.of(ProxmoxKeys.PROVIDER, ref, q.compartment().get());
      Page<StoredCi> page = cis.byCompartment(ref, pool, size, q.cursor());
      return filterType(page, q.type());
    }
    if (q.text().isPresent()) {
      return new Page<>(text(tenantId, q), null);
    }
    if (q.connectionId().isPresent()) {
      ConnectionRef ref = connection(tenantId, q.connectionId(), "connection");
      return filterType(cis.byConnection(ref, size, q.cursor()), q.type());
    }
    if (q.type().isPresent()) {
      return cis.byTenantAndType(tenantId, q.type().get(), size, q.cursor());
    }
    throw WizardException.field(
        WizardException.Kind.VALIDATION,
        "type",
        "give a semantic type, a connection, a compartment or a text to search for");
  }

  private List<StoredCi> text(String tenantId, Query q) {
    String needle = q.text().get().toLowerCase(Locale.ROOT);
    List<ConnectionRef> refs = new ArrayList<>();
    if (q.connectionId().isPresent()) {
      refs.add(connection(tenantId, q.connectionId(), "connection"));
    } else {
      connections.list(tenantId).forEach(c -> refs.add(c.ref()));
    }
    List<StoredCi> out = new ArrayList<>();
    for (ConnectionRef ref : refs) {
      String cursor = null;
      int read = 0;
      do {
        Page<StoredCi> page = cis.byConnection(ref, 500, cursor);
        for (StoredCi s : page.items()) {
          if (s.status() != CiStatus.RESOURCE_DELETED
              && q.type().map(t -> t == s.item().semanticType()).orElse(true)
              && (contains(s.item().name(), needle) || contains(s.nativeKey(), needle))) {
            out.add(s);
            if (out.size() >= Math.min(q.pageSize(), MAX_RESULTS)) {
              return out;
            }
          }
        }
        read += page.items().size();
        cursor = page.nextCursor();
      } while (cursor != null && read < TEXT_SCAN_LIMIT);
    }
    return out;
  }

  private static boolean contains(String value, String needle) {
    return value != null && value.toLowerCase(Locale.ROOT).contains(needle);
  }

  private static Page<StoredCi> filterType(Page<StoredCi> page, Optional<SemanticType> type) {
    if (type.isEmpty()) {
      return page;
    }
    return new Page<>(
        page.items().stream().filter(s -> s.item().semanticType() == type.get()).toList(),
        page.nextCursor());
  }

  /** One CI by native key, with its outgoing relationships resolved. */
  public CiDetail get(ConnectionRef ref, String nativeKey) {
    StoredCi ci = find(ref, nativeKey);
    List<CiDetail.Link> links = new ArrayList<>();
    for (Relationship r : ci.item().relationships()) {
      Optional<StoredCi> target =
          links.size() < 100 ? cis.find(ref, r.targetNativeKey()) : Optional.empty();
      links.add(
          new CiDetail.Link(
              r,
              target.map(t -> t.item().name()).orElse(null),
              target.map(t -> t.item().semanticType().name()).orElse(null)));
    }
    return new CiDetail(ci, links);
  }

  /** The CI's history, newest first, each entry with its changed properties. */
  public Page<CiHistoryEntry> history(
      ConnectionRef ref, String nativeKey, int pageSize, String cursor) {
    StoredCi ci = find(ref, nativeKey);
    return cis.timeline(ref, ci.id(), Math.max(1, Math.min(pageSize, MAX_RESULTS)), cursor);
  }

  private StoredCi find(ConnectionRef ref, String nativeKey) {
    requireConnection(ref);
    try {
      return cis.find(ref, nativeKey)
          .orElseThrow(() -> WizardException.notFound("CI '" + nativeKey + "'"));
    } catch (IllegalArgumentException e) {
      throw WizardException.field(
          WizardException.Kind.VALIDATION, "key", "is not a native key (for example qemu/101)");
    }
  }

  private void requireConnection(ConnectionRef ref) {
    Optional<Connection> c = connections.find(ref);
    if (c.isEmpty()) {
      throw ConnectionAdmin.notFound(ref);
    }
  }

  private ConnectionRef connection(String tenantId, Optional<String> id, String forWhat) {
    if (id.isEmpty()) {
      throw WizardException.field(
          WizardException.Kind.VALIDATION, "connection", "is required to search by " + forWhat);
    }
    ConnectionRef ref;
    try {
      ref = new ConnectionRef(tenantId, id.get());
    } catch (IllegalArgumentException e) {
      throw WizardException.notFound("connection '" + id.get() + "'");
    }
    requireConnection(ref);
    return ref;
  }
}
