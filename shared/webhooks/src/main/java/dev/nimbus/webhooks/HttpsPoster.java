package dev.nimbus.webhooks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTPS POST over HTTP/1.1 to an address {@link UrlPolicy} approved. {@code
 * java.net.http.HttpClient} resolves the host itself and cannot be told which address to use, so it
 * could be led by a second DNS answer to an address that was never checked (DNS rebinding); here
 * the TCP connection goes to the checked address while TLS still sends the host name (SNI) and
 * verifies the certificate against it with the standard HTTPS rules. Only the status code of the
 * answer is read; redirects are not followed.
 *
 * <p><b>Whole-call deadline.</b> Connect and read timeouts bound each single wait, and a receiver
 * that sends one byte (a {@code 100 Continue} line, a header byte) before each read timeout passes
 * resets them forever. So every call also has a deadline for everything together (connect, TLS,
 * request, answer, close): a watchdog closes the socket when it passes, which ends whatever the
 * call is blocked in, and the call fails with {@link WebhookDeadlineExceededException}. The answer
 * head is also capped in size ({@value #MAX_HEAD_BYTES} bytes, interim answers included).
 */
public final class HttpsPoster {
  private static final int MAX_LINE = 8192;

  /** The most an answer's status lines and headers may take, interim 1xx answers included. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  /** The whole-call deadline of the three-argument constructor. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

  /**
   * One daemon thread for every poster of the process: it only closes sockets whose deadline has
   * passed, and a cancelled watch is removed at once, so it holds nothing between calls.
   */
  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

  private final SSLContext tls;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration deadline;

  /**
   * A poster with the {@link #DEFAULT_DEADLINE} for the whole call.
   *
   * @param tls the trust material: the JVM's trust store in production, the test receiver's
   *     certificate in tests; verification is never switched off
   */
  public HttpsPoster(SSLContext tls, Duration connectTimeout, Duration readTimeout) {
    this(tls, connectTimeout, readTimeout, DEFAULT_DEADLINE);
  }

  /**
   * @param tls the trust material: the JVM's trust store in production, the test receiver's
   *     certificate in tests; verification is never switched off
   * @param connectTimeout the longest wait for one TCP connection
   * @param readTimeout the longest wait for one read
   * @param deadline the longest a whole call may take, however the receiver trickles its bytes
   */
  public HttpsPoster(
      SSLContext tls, Duration connectTimeout, Duration readTimeout, Duration deadline) {
    this.tls = Objects.requireNonNull(tls, "tls");
    this.connectTimeout = positive(connectTimeout, "connectTimeout");
    this.readTimeout = positive(readTimeout, "readTimeout");
    this.deadline = positive(deadline, "deadline");
  }

  /** The whole-call deadline. */
  public Duration deadline() {
    return deadline;
  }

  /**
   * POSTs {@code body} with {@code headers} and returns the HTTP status code.
   *
   * @throws WebhookDeadlineExceededException when the whole call took longer than the deadline
   * @throws IOException when no approved address answers, TLS fails or the answer is not HTTP
   */
  public int post(UrlPolicy.Target target, Map<String, String> headers, byte[] body)
      throws IOException {
    byte[] head = requestHead(target, headers, body.length).getBytes(StandardCharsets.UTF_8);
    Call call = new Call(System.nanoTime() + deadline.toNanos());
    ScheduledFuture<?> watch =
        WATCHDOG.schedule(call::expire, deadline.toNanos(), TimeUnit.NANOSECONDS);
    try {
      return exchange(call, target, head, body);
    } catch (IOException | RuntimeException e) {
      if (call.expired()) {
        throw new WebhookDeadlineExceededException(deadline, call.phase, e);
      }
      throw e;
    } finally {
      watch.cancel(false);
      call.closeSocket();
    }
  }

  private int exchange(Call call, UrlPolicy.Target target, byte[] head, byte[] body)
      throws IOException {
    IOException last = null;
    for (InetAddress address : target.addresses()) {
      Socket socket = new Socket();
      if (!call.use(socket)) {
        break;
      }
      try {
        call.phase = "connecting to " + address.getHostAddress();
        socket.connect(
            new InetSocketAddress(address, target.port()), call.millisLeft(connectTimeout));
      } catch (IOException e) {
        socket.close();
        last = e;
        if (call.expired()) {
          throw e;
        }
        continue;
      }
      SSLSocket ssl =
          (SSLSocket)
              tls.getSocketFactory().createSocket(socket, target.host(), target.port(), true);
      ssl.setSoTimeout(call.millisLeft(readTimeout));
      SSLParameters params = ssl.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      if (!isIpLiteral(target.host())) {
        params.setServerNames(List.of(new SNIHostName(target.host())));
      }
      params.setApplicationProtocols(new String[] {"http/1.1"});
      ssl.setSSLParameters(params);
      call.phase = "in the TLS handshake";
      ssl.startHandshake();
      call.phase = "sending the request";
      OutputStream out = ssl.getOutputStream();
      out.write(head);
      out.write(body);
      out.flush();
      call.phase = "reading the answer";
      int status = readStatus(new BufferedInputStream(ssl.getInputStream()));
      call.phase = "closing the connection";
      try {
        // The answer is known; a receiver that keeps sending (a body that never ends) or never
        // acknowledges the close cannot change it, and the watchdog still bounds the close.
        ssl.close();
      } catch (IOException e) {
        // Closing after the answer: nothing to report.
      }
      return status;
    }
    throw last != null ? last : new IOException("no address to connect to");
  }

  /** One call's deadline and the socket the watchdog closes when it passes. */
  private static final class Call {
    private final long deadlineNanos;
    private Socket socket;
    private boolean expired;
    volatile String phase = "starting";

    Call(long deadlineNanos) {
      this.deadlineNanos = deadlineNanos;
    }

    /** Registers the next socket; false (and closes it) when the deadline has already passed. */
    synchronized boolean use(Socket next) throws IOException {
      if (expired) {
        next.close();
        return false;
      }
      socket = next;
      return true;
    }

    synchronized void expire() {
      expired = true;
      closeSocket();
    }

    synchronized boolean expired() {
      return expired || System.nanoTime() - deadlineNanos >= 0;
    }

    synchronized void closeSocket() {
      if (socket != null) {
        try {
          // The plain socket under the TLS layer: closing it needs none of the TLS engine's locks
          // (which a blocked read holds) and makes every blocked read, write or handshake fail.
          socket.close();
        } catch (IOException e) {
          // Already closed.
        }
      }
    }

    /** A socket timeout that does not reach past the deadline (at least 1 ms; 0 means none). */
    int millisLeft(Duration timeout) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
      return (int) Math.max(1, Math.min(timeout.toMillis(), left));
    }
  }

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "webhook-deadline-watchdog");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  private static String requestHead(
      UrlPolicy.Target target, Map<String, String> headers, int length) {
    String host = target.host().contains(":") ? "[" + target.host() + "]" : target.host();
    StringBuilder head = new StringBuilder(256);
    head.append("POST ").append(target.pathAndQuery()).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(host);
    if (target.port() != 443) {
      head.append(':').append(target.port());
    }
    head.append("\r\n");
    head.append("Content-Type: application/json; charset=utf-8\r\n");
    head.append("Content-Length: ").append(length).append("\r\n");
    head.append("User-Agent: nimbus-webhooks/1\r\n");
    head.append("Connection: close\r\n");
    headers.forEach(
        (name, value) -> {
          if (name.indexOf('\r') >= 0
              || name.indexOf('\n') >= 0
              || value.indexOf('\r') >= 0
              || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("header " + name + " contains a line break");
          }
          head.append(name).append(": ").append(value).append("\r\n");
        });
    return head.append("\r\n").toString();
  }

  /** Reads status lines, skipping interim 1xx answers, and returns the final status code. */
  private static int readStatus(InputStream in) throws IOException {
    int[] budget = {MAX_HEAD_BYTES};
    while (true) {
      String statusLine = readLine(in, budget);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x answer");
      }
      int status;
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("bad HTTP status line", e);
      }
      while (!readLine(in, budget).isEmpty()) {
        // Headers are not needed: only the status decides.
      }
      if (status >= 200 || status < 100) {
        return status;
      }
    }
  }

  private static String readLine(InputStream in, int[] budget) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    int c;
    while ((c = in.read()) != -1) {
      if (--budget[0] < 0) {
        throw new IOException("HTTP answer head longer than " + MAX_HEAD_BYTES + " bytes");
      }
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        line.write(c);
      }
      if (line.size() > MAX_LINE) {
        throw new IOException("HTTP answer line too long");
      }
    }
    if (c == -1 && line.size() == 0) {
      throw new IOException("connection closed before an HTTP answer");
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean isIpLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }
}
