package dev.nimbus.connections;

/** Base of the failures the connections API reports; messages never contain a secret. */
public class ConnectionException extends RuntimeException {
  public ConnectionException(String message) {
    super(message);
  }

  public ConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
