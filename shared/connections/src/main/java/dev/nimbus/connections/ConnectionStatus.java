package dev.nimbus.connections;

/** Where a connection stands with discovery. */
public enum ConnectionStatus {
  /** Created, not yet discovered. */
  PENDING,
  /** The last discovery run succeeded. */
  ACTIVE,
  /** The last discovery run failed; discovery keeps trying on schedule. */
  FAILING,
  /** Switched off by a user; never scheduled. */
  DISABLED
}
