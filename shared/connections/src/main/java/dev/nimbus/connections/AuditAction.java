package dev.nimbus.connections;

/** What was done to a connection, for its audit trail. */
public enum AuditAction {
  CREATED,
  UPDATED,
  TOKEN_REPLACED,
  ROTATED,
  DELETED
}
