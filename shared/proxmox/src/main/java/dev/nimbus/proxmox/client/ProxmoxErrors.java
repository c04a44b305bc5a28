package dev.nimbus.proxmox.client;

import dev.nimbus.proxmox.client.ProxmoxException.AuthenticationFailed;
import dev.nimbus.proxmox.client.ProxmoxException.CertificateMismatch;
import dev.nimbus.proxmox.client.ProxmoxException.InvalidResponse;
import dev.nimbus.proxmox.client.ProxmoxException.NodeUnreachable;
import dev.nimbus.proxmox.client.ProxmoxException.NotFound;
import dev.nimbus.proxmox.client.ProxmoxException.NotImplemented;
import dev.nimbus.proxmox.client.ProxmoxException.ParameterError;
import dev.nimbus.proxmox.client.ProxmoxException.PermissionDenied;
import dev.nimbus.proxmox.client.ProxmoxException.ServerError;
import dev.nimbus.proxmox.client.ProxmoxException.TransportError;
import dev.nimbus.proxmox.client.ProxmoxException.TransportError.Kind;
import dev.nimbus.proxmox.client.tls.FingerprintMismatchException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that turns a Proxmox answer or an I/O failure into a {@link ProxmoxException}.
 * Proxmox puts its error text in the HTTP reason phrase (body {@code {"data":null}}); since
 * pve-http-server 5.2 (PVE 8.3+) the body also carries {@code message}, and 400 answers carry
 * {@code errors}. Every text taken from the server passes through a redactor first, and is only
 * then cut to {@value #MAX_DETAIL} characters.
 */
public final class ProxmoxErrors {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern PERMISSION =
      Pattern.compile("Permission check failed \\(([^,)]+)(?:,\\s*([^)]+))?\\)");
  private static final Pattern NODE_IN_PATH = Pattern.compile("^/nodes/([^/]+)");
  private static final int MAX_DETAIL = 400;

  private ProxmoxErrors() {}

  /**
   * Classifies an HTTP error answer.
   *
   * @param reason the HTTP reason phrase (Proxmox's message), may be null
   * @param body the response body, may be null or not JSON
   * @param redact removes secrets from any server text before it reaches a message
   */
  public static ProxmoxException fromResponse(
      String method,
      String path,
      int status,
      String reason,
      String body,
      UnaryOperator<String> redact) {
    JsonNode json = parse(body);
    String message = firstNonBlank(text(json, "message"), reason, "HTTP " + status);
    String detail = masked(message.strip(), redact);
    String lower = detail.toLowerCase(Locale.ROOT);
    return switch (status) {
      case 401 -> new AuthenticationFailed(method, path, status, detail);
      case 403 -> permissionDenied(method, path, detail);
      case 404 -> new NotFound(method, path, status, detail);
      case 400 -> new ParameterError(method, path, detail, errors(json, redact));
      case 501 -> new NotImplemented(method, path, detail);
      case 595, 596, 599 -> new NodeUnreachable(method, path, status, detail, nodeOf(path));
      default -> {
        if (status == 500 && (lower.contains("does not exist") || lower.contains("no such "))) {
          yield new NotFound(method, path, status, detail);
        }
        if (status == 500 && lower.contains("not implemented")) {
          // Older pve-http-server answers an unknown path with 500 "Method ... not implemented".
          yield new NotImplemented(method, path, detail);
        }
        yield new ServerError(method, path, status, detail);
      }
    };
  }

  /** Classifies a failure to get any HTTP answer. */
  public static ProxmoxException fromIOException(
      String method, String path, IOException e, Set<String> pinned, UnaryOperator<String> redact) {
    FingerprintMismatchException mismatch = findCause(e, FingerprintMismatchException.class);
    if (mismatch != null) {
      return new CertificateMismatch(method, path, pinned, mismatch.seen());
    }
    String detail = masked(String.valueOf(e.getMessage()), redact);
    Kind kind;
    if (e instanceof SocketTimeoutException) {
      kind = Kind.TIMEOUT;
    } else if (e instanceof UnknownHostException) {
      kind = Kind.DNS;
    } else if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
      kind = Kind.CONNECTION_REFUSED;
    } else if (e instanceof SSLException) {
      kind = Kind.TLS;
    } else if (detail.contains("tunnel through proxy") || detail.contains("SOCKS")) {
      kind = Kind.PROXY;
    } else if (e instanceof SocketException || detail.toLowerCase(Locale.ROOT).contains("reset")) {
      kind = Kind.CONNECTION_RESET;
    } else {
      kind = Kind.IO;
    }
    return new TransportError(method, path, kind, detail, e);
  }

  /**
   * A 2xx answer whose {@code data} is not the list the endpoint declares: missing, null, an
   * object, a string. Never to be read as an empty list: a caller that did would take "every item
   * is gone" from a broken answer.
   */
  public static InvalidResponse notAList(String method, String path, JsonNode data) {
    return notAList(method, path, "data", data);
  }

  /** Same for a list inside {@code data}, e.g. {@code data.members} of a pool. */
  public static InvalidResponse notAList(
      String method, String path, String member, JsonNode value) {
    return new InvalidResponse(
        method, path, 200, member + " is " + describe(value) + " where a list was expected", null);
  }

  /** A 2xx answer whose {@code data} is not the object the endpoint declares. */
  public static InvalidResponse notAnObject(String method, String path, JsonNode data) {
    return new InvalidResponse(
        method, path, 200, "data is " + describe(data) + " where an object was expected", null);
  }

  /** An object answer without a member the client cannot do without. */
  public static InvalidResponse missingField(String method, String path, String field) {
    return new InvalidResponse(method, path, 200, "data has no " + field, null);
  }

  /** A list answer with an element that is not an object: the whole answer is not trusted. */
  public static InvalidResponse badElement(String method, String path, int index, JsonNode e) {
    return new InvalidResponse(
        method,
        path,
        200,
        "element " + index + " of the list is " + describe(e) + ", not an object",
        null);
  }

  /**
   * A list element the model could not read (a number out of range...). Only the failure's type is
   * kept in the message: its text may quote the value.
   */
  public static InvalidResponse unreadableElement(
      String method, String path, int index, RuntimeException e) {
    return new InvalidResponse(
        method,
        path,
        200,
        "element " + index + " of the list cannot be read (" + e.getClass().getSimpleName() + ")",
        e);
  }

  /**
   * A 2xx body that is not Proxmox's JSON envelope {@code {"data": ...}}: empty, not JSON (an HTML
   * login page of an access proxy), or JSON without {@code data}.
   *
   * @param what what the body was instead, e.g. "empty" or "not JSON"
   * @param contentType the answer's Content-Type, or null; only its media type is quoted
   */
  public static InvalidResponse notAnEnvelope(
      String method, String path, int status, String what, String contentType, Throwable cause) {
    String type = mediaType(contentType);
    return new InvalidResponse(
        method,
        path,
        status,
        "answer is " + what + (type == null ? "" : " (Content-Type " + type + ")"),
        cause);
  }

  /**
   * A 2xx answer larger than the client's {@code maxResponseBytes}: refused instead of read, so a
   * runaway body cannot exhaust the heap.
   *
   * @param announced the Content-Length, or -1 when the limit was reached while reading
   */
  public static InvalidResponse tooLarge(
      String method, String path, int status, long limit, long announced) {
    return new InvalidResponse(
        method,
        path,
        status,
        "answer is larger than the limit of "
            + limit
            + " bytes (maxResponseBytes)"
            + (announced >= 0 ? ": Content-Length " + announced : ""),
        null);
  }

  /**
   * The connection ended before the body announced by Content-Length arrived (a tunnel or proxy
   * dropped it). Retried like a reset: the next attempt may well get the whole answer.
   */
  public static TransportError truncated(
      String method, String path, long received, long announced, IOException cause) {
    return new TransportError(
        method,
        path,
        Kind.TRUNCATED_BODY,
        "body ended after " + received + (announced >= 0 ? " of " + announced : "") + " bytes",
        cause);
  }

  /** One call took longer than its whole-call limit, e.g. a body trickled in slowly. */
  public static TransportError callTimedOut(String method, String path, long limitMillis) {
    return new TransportError(
        method, path, Kind.TIMEOUT, "no complete answer within " + limitMillis + " ms", null);
  }

  /** The run's deadline passed before (or while waiting for) a call. */
  public static ProxmoxException deadlineExceeded(String method, String path, String detail) {
    return new TransportError(method, path, Kind.DEADLINE_EXCEEDED, detail, null);
  }

  /**
   * True for failures that may go away on their own: an unreachable node, a 5xx that is not a "does
   * not exist" or "not running" answer, a timeout, reset or refused connection. Never 4xx, TLS or
   * certificate failures. Only idempotent reads are retried at all.
   */
  public static boolean isRetryable(ProxmoxException e) {
    return switch (e) {
      // 595/596: pveproxy could not reach the node (offline, fenced): asking again in a second
      // changes nothing and costs the run four calls per path of that node. 599 is a generic
      // proxy failure and may pass.
      case NodeUnreachable n -> n.status() == 599;
      case ServerError s ->
          s.status() >= 500
              && !s.getMessage().toLowerCase(Locale.ROOT).contains("not running")
              && s.status() != 501;
      case TransportError t ->
          t.kind() == Kind.TIMEOUT
              || t.kind() == Kind.CONNECTION_RESET
              || t.kind() == Kind.TRUNCATED_BODY
              || t.kind() == Kind.CONNECTION_REFUSED;
      default -> false;
    };
  }

  private static PermissionDenied permissionDenied(String method, String path, String detail) {
    Matcher m = PERMISSION.matcher(detail);
    if (m.find()) {
      String privilege = m.group(2) == null ? null : m.group(2).trim();
      return new PermissionDenied(method, path, detail, m.group(1).trim(), privilege);
    }
    return new PermissionDenied(method, path, detail, null, null);
  }

  private static Map<String, String> errors(JsonNode json, UnaryOperator<String> redact) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode errors = json == null ? null : json.get("errors");
    if (errors != null && errors.isObject()) {
      for (Map.Entry<String, JsonNode> e : errors.properties()) {
        out.put(e.getKey(), masked(e.getValue().asString().strip(), redact));
      }
    }
    return out;
  }

  /** What a JSON value is, for messages; never the value itself (it may echo anything). */
  static String describe(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "missing";
    }
    if (value.isNull()) {
      return "null";
    }
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isString()) {
      return "a string";
    }
    if (value.isNumber()) {
      return "a number";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    return "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String mediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.matches("[a-z0-9.+-]{1,40}/[a-z0-9.+-]{1,60}") ? type : "unrecognised";
  }

  private static String nodeOf(String path) {
    Matcher m = NODE_IN_PATH.matcher(path);
    return m.find() ? m.group(1) : null;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (JacksonException e) {
      return null;
    }
  }

  private static String text(JsonNode json, String field) {
    if (json == null || !json.isObject()) {
      return null;
    }
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return "";
  }

  /**
   * Server or network text made fit for a message: secrets masked first, then cut to length. Never
   * the other way round: a cut can split a secret so that the redactor, which looks for whole
   * values, no longer recognises the part that is left.
   */
  static String masked(String text, UnaryOperator<String> redact) {
    return clip(redact.apply(text));
  }

  private static String clip(String text) {
    return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
  }

  private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
