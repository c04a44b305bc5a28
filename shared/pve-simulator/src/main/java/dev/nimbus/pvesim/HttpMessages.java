package dev.nimbus.pvesim;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** The HTTP request and response the simulator's own small HTTP/1.1 server exchanges. */
final class HttpMessages {
  private HttpMessages() {}

  /** A parsed request; header names are lower-case. */
  record Request(
      String method, String target, Map<String, String> headers, byte[] body, String listenerNode) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    String query() {
      int q = target.indexOf('?');
      return q < 0 ? "" : target.substring(q + 1);
    }
  }

  /** How the body is delivered: whole, trickled in chunks, or cut off by a connection reset. */
  enum Delivery {
    NORMAL,
    TRICKLE,
    RESET_MIDWAY
  }

  /**
   * A response. Proxmox puts error messages in the reason phrase, so the server writes {@code
   * reason} verbatim (sanitised to one ASCII line).
   */
  record Response(int status, String reason, byte[] body, Delivery delivery, Duration chunkDelay) {
    static Response json(int status, String reason, byte[] body) {
      return new Response(status, reason, body, Delivery.NORMAL, Duration.ZERO);
    }

    Response withDelivery(Delivery d, Duration delay) {
      return new Response(status, reason, body, d, delay);
    }
  }
}
