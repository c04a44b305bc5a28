package dev.nimbus.connections;

import dev.nimbus.model.ConnectionRef;

/** A create named a connection id the tenant already uses. */
public final class ConnectionAlreadyExistsException extends ConnectionException {
  public ConnectionAlreadyExistsException(ConnectionRef ref) {
    super("connection " + ref + " already exists");
  }
}
