package dev.nimbus.pvesim;

import java.util.Map;

/**
 * An error answered the Proxmox way: the message in the HTTP reason phrase, {@code {"data":null}}
 * in the body, parameter {@code errors} for 400, and {@code message} on newer versions.
 */
final class ApiException extends RuntimeException {
  private final int status;
  private final Map<String, String> errors;

  ApiException(int status, String message) {
    this(status, message, Map.of());
  }

  ApiException(int status, String message, Map<String, String> errors) {
    super(message, null, false, false);
    this.status = status;
    this.errors = errors;
  }

  int status() {
    return status;
  }

  Map<String, String> errors() {
    return errors;
  }

  static ApiException parameter(String param, String message) {
    return new ApiException(400, "Parameter verification failed.", Map.of(param, message));
  }

  static ApiException permission(String path, String priv) {
    return new ApiException(403, "Permission check failed (" + path + ", " + priv + ")");
  }

  static ApiException notFound(String what) {
    return new ApiException(500, what);
  }
}
