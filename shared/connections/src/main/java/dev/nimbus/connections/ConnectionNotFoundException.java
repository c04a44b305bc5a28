package dev.nimbus.connections;

import dev.nimbus.model.ConnectionRef;

/** No connection with this id exists for this tenant (which includes: it belongs to another). */
public final class ConnectionNotFoundException extends ConnectionException {
  public ConnectionNotFoundException(ConnectionRef ref) {
    super("connection " + ref + " does not exist");
  }
}
