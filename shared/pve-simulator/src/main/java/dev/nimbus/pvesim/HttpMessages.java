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

  /**
   * How the body is delivered: whole, trickled in chunks, cut off by a connection reset, cut off by
   * an orderly close before {@code Content-Length} is reached, or generated while streaming ({@link
   * Response#streamedLength()} bytes of padded JSON list, never held in memory).
   */
  enum Delivery {
    NORMAL,
    TRICKLE,
    RESET_MIDWAY,
    TRUNCATED,
    PADDED_LIST
  }

  /**
   * A response. Proxmox puts error messages in the reason phrase, so the server writes {@code
   * reason} verbatim (sanitised to one ASCII line).
   */
  record Response(
      int status,
      String reason,
      String contentType,
      byte[] body,
      Delivery delivery,
      Duration chunkDelay,
      long streamedLength) {
    static final String JSON = "application/json;charset=UTF-8";

    static Response json(int status, String reason, byte[] body) {
      return of(status, reason, JSON, body);
    }

    static Response of(int status, String reason, String contentType, byte[] body) {
      return new Response(status, reason, contentType, body, Delivery.NORMAL, Duration.ZERO, 0);
    }

    /** A 200 whose body is a valid JSON list of padding objects, {@code length} bytes long. */
    static Response paddedList(long length) {
      return new Response(
          200, "OK", JSON, new byte[0], Delivery.PADDED_LIST, Duration.ZERO, length);
    }

    Response withDelivery(Delivery d, Duration delay) {
      return new Response(status, reason, contentType, body, d, delay, streamedLength);
    }

    /** The {@code Content-Length} the head announces. */
    long contentLength() {
      return delivery == Delivery.PADDED_LIST ? streamedLength : body.length;
    }
  }
}
