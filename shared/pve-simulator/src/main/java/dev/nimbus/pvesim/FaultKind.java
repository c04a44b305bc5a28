package dev.nimbus.pvesim;

/**
 * What a per-path fault ({@link Faults#onPath}) answers instead of the simulated API. The kinds are
 * the ways a list call went wrong in the field: pveproxy and tunnel errors, cut connections,
 * well-formed JSON whose {@code data} is not what the endpoint declares, a login page from an
 * access proxy, an empty body and a body too big to hold.
 */
public enum FaultKind {
  /**
   * HTTP 401, as pveproxy answers a token that was revoked or expired, possibly in the middle of a
   * run.
   */
  HTTP_401(401),
  /** HTTP 500 with Proxmox's error envelope ({@code {"data":null}}, message in the reason). */
  HTTP_500(500),
  /** HTTP 502 Bad Gateway, as a tunnel or reverse proxy answers when pveproxy is not reachable. */
  HTTP_502(502),
  /** HTTP 503 Service Unavailable (pveproxy restarting, a proxy shedding load). */
  HTTP_503(503),
  /** HTTP 595, pveproxy's pseudo status when it cannot connect to the node a path is proxied to. */
  HTTP_595(595),
  /** HTTP 596, pveproxy's pseudo status when the proxied connection timed out. */
  HTTP_596(596),
  /**
   * The real answer's status line and headers, half of its body, then a TCP reset (linger 0): the
   * client sees an error while reading the body.
   */
  RESET_MID_BODY(200),
  /**
   * The real answer's status and headers with its full {@code Content-Length}, half of the body,
   * then an orderly close: the body ends early without a reset.
   */
  TRUNCATED_BODY(200),
  /** 200 with {@code {}}: no {@code data} member at all. */
  DATA_MISSING(200),
  /** 200 with {@code {"data":null}}. */
  DATA_NULL(200),
  /** 200 with {@code {"data":{}}}: an object where the endpoint declares an array. */
  DATA_OBJECT(200),
  /** 200 with {@code {"data":"..."}}: a string. */
  DATA_STRING(200),
  /** 200 with {@code text/html}: a login page, as an access proxy in front of the API answers. */
  HTML_BODY(200),
  /** 200 with zero bytes ({@code Content-Length: 0}). */
  EMPTY_BODY(200),
  /**
   * 200 with a valid JSON list ({@code {"data":[{"padding":"..."}, ...]}}) of {@link
   * Faults#oversizedBodyBytes} bytes, streamed so the simulator never holds it, with an honest
   * {@code Content-Length}.
   */
  OVERSIZED_BODY(200);

  private final int status;

  FaultKind(int status) {
    this.status = status;
  }

  /** The HTTP status the client receives. */
  public int status() {
    return status;
  }
}
