package dev.nimbus.connections;

import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One line of a connection's audit trail: who did what, when, to which fields, and the version it
 * produced. Field names only: a secret's value, old or new, is never recorded.
 */
public record AuditEntry(
    ConnectionRef ref,
    Instant at,
    String actor,
    AuditAction action,
    List<String> changedFields,
    long version) {
  public AuditEntry {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    changedFields = List.copyOf(changedFields);
  }
}
