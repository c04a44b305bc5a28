package dev.nimbus.connections;

import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.util.Objects;

/**
 * A due connection as the schedule index shows it: enough for the scheduler to claim it with one
 * conditional write and no read of the connection (its secrets stay where they are).
 *
 * @param ref the connection
 * @param dueAt its next due time as the index holds it (second precision)
 * @param schedule its schedule expression, to compute the slot after this one
 */
public record DueConnection(ConnectionRef ref, Instant dueAt, String schedule) {
  public DueConnection {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(dueAt, "dueAt");
    Objects.requireNonNull(schedule, "schedule");
  }
}
