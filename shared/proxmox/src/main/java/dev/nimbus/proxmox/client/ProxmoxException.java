package dev.nimbus.proxmox.client;

import java.util.Map;
import java.util.Set;

/**
 * Every failure of a Proxmox call, classified by {@link ProxmoxErrors}. The message always names
 * the HTTP method and the API path (never query values) and never contains a token secret, password
 * or ticket. Callers switch over the sealed subtypes to decide what to do.
 */
public abstract sealed class ProxmoxException extends RuntimeException {
  private final String method;
  private final String path;
  private final int status;

  ProxmoxException(String method, String path, int status, String detail, Throwable cause) {
    super(method + " " + path + " failed: " + (status > 0 ? status + " " : "") + detail, cause);
    this.method = method;
    this.path = path;
    this.status = status;
  }

  /** The HTTP method of the failed call. */
  public String method() {
    return method;
  }

  /** The API path of the failed call, without query string. */
  public String path() {
    return path;
  }

  /** The HTTP status, or 0 when no response was received. */
  public int status() {
    return status;
  }

  /** 401: the token or ticket was refused. Proxmox delays this answer by about 3 seconds. */
  public static final class AuthenticationFailed extends ProxmoxException {
    AuthenticationFailed(String method, String path, int status, String detail) {
      super(method, path, status, detail, null);
    }
  }

  /** Login needs a second factor; the ticket login cannot complete without one. */
  public static final class TfaRequired extends ProxmoxException {
    private final Set<String> factors;

    TfaRequired(String method, String path, Set<String> factors) {
      super(
          method,
          path,
          0,
          "two-factor authentication required"
              + (factors.isEmpty() ? "" : " (available: " + String.join(", ", factors) + ")")
              + "; supply a one-time code or use an API token",
          null);
      this.factors = Set.copyOf(factors);
    }

    /** The second factors the user has configured (for example {@code totp}, {@code recovery}). */
    public Set<String> factors() {
      return factors;
    }
  }

  /** 403 {@code Permission check failed (/vms/100, VM.Audit)}: which ACL path and privilege. */
  public static final class PermissionDenied extends ProxmoxException {
    private final String aclPath;
    private final String privilege;

    PermissionDenied(String method, String path, String detail, String aclPath, String privilege) {
      super(method, path, 403, detail, null);
      this.aclPath = aclPath;
      this.privilege = privilege;
    }

    /** The ACL path the check failed on, or null when Proxmox did not name one. */
    public String aclPath() {
      return aclPath;
    }

    /** The missing privilege (may list several, {@code VM.Audit|VM.Monitor}), or null. */
    public String privilege() {
      return privilege;
    }
  }

  /** 404, or a 500 saying the object "does not exist" (Proxmox's usual way). */
  public static final class NotFound extends ProxmoxException {
    NotFound(String method, String path, int status, String detail) {
      super(method, path, status, detail, null);
    }
  }

  /** 400 {@code Parameter verification failed.} with the per-parameter messages. */
  public static final class ParameterError extends ProxmoxException {
    private final Map<String, String> errors;

    ParameterError(String method, String path, String detail, Map<String, String> errors) {
      super(method, path, 400, detail + (errors.isEmpty() ? "" : " " + errors), null);
      this.errors = Map.copyOf(errors);
    }

    /** Parameter name to message. */
    public Map<String, String> errors() {
      return errors;
    }
  }

  /** 501: this server does not have the method or path (an older PVE release). */
  public static final class NotImplemented extends ProxmoxException {
    NotImplemented(String method, String path, String detail) {
      super(method, path, 501, detail, null);
    }
  }

  /**
   * 595/596/599: the answering node could not reach the node the call was proxied to (offline,
   * unreachable or busy). Discovery treats that node's part of the run as partial.
   */
  public static final class NodeUnreachable extends ProxmoxException {
    private final String node;

    NodeUnreachable(String method, String path, int status, String detail, String node) {
      super(method, path, status, detail, null);
      this.node = node;
    }

    /** The node named in the path ({@code /nodes/{node}/...}), or null. */
    public String node() {
      return node;
    }
  }

  /** Any other error answer (mostly 500 with the handler's message). */
  public static final class ServerError extends ProxmoxException {
    ServerError(String method, String path, int status, String detail) {
      super(method, path, status, detail, null);
    }
  }

  /**
   * A 2xx answer that cannot be trusted: not the JSON envelope Proxmox sends (empty, HTML, no
   * {@code data}), {@code data} of the wrong shape (a list endpoint answering an object, null or a
   * string), a list element that is not an object, or a body above {@code maxResponseBytes}. Never
   * retried; never to be taken as an empty answer.
   */
  public static final class InvalidResponse extends ProxmoxException {
    InvalidResponse(String method, String path, int status, String detail, Throwable cause) {
      super(method, path, status, detail, cause);
    }
  }

  /** The server's certificate does not match any pinned SHA-256 fingerprint. */
  public static final class CertificateMismatch extends ProxmoxException {
    private final Set<String> expected;
    private final String seen;

    CertificateMismatch(String method, String path, Set<String> expected, String seen) {
      super(
          method,
          path,
          0,
          "certificate fingerprint " + seen + " matches none of the pinned " + expected,
          null);
      this.expected = Set.copyOf(expected);
      this.seen = seen;
    }

    /** The pinned fingerprints (colon-hex, upper case). */
    public Set<String> expected() {
      return expected;
    }

    /** The SHA-256 fingerprint the server presented. */
    public String seen() {
      return seen;
    }
  }

  /** No usable HTTP answer: timeout, reset, refused, DNS, TLS, proxy, or the run's deadline. */
  public static final class TransportError extends ProxmoxException {
    /** What went wrong on the way to the server. */
    public enum Kind {
      /** A read, or the whole call ({@code callTimeout}), took too long. */
      TIMEOUT,
      CONNECTION_REFUSED,
      CONNECTION_RESET,
      /** The connection closed before the body announced by Content-Length arrived. */
      TRUNCATED_BODY,
      DNS,
      TLS,
      PROXY,
      DEADLINE_EXCEEDED,
      IO
    }

    private final Kind kind;

    TransportError(String method, String path, Kind kind, String detail, Throwable cause) {
      super(method, path, 0, kind + ": " + detail, cause);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }
}
