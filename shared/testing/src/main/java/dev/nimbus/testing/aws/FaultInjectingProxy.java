package dev.nimbus.testing.aws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain-HTTP proxy on a loopback port between SDK clients and the AWS emulator that breaks
 * requests by a {@link FaultPlan}: throttling and 500 answers (not applied), answers held past the
 * client's attempt timeout and connections dropped after the request was applied (see {@link
 * FaultKind}). Point a client at {@link #endpoint()} (an endpoint override, {@code
 * AWS_ENDPOINT_URL} or the {@code aws.endpointUrl} system property) and it talks to the emulator
 * through the faults.
 *
 * <p>A request's operation is its {@code X-Amz-Target} header ({@code
 * DynamoDB_20120810.TransactWriteItems}, {@code AWSEvents.PutEvents}, {@code
 * AmazonSQS.SendMessageBatch}, {@code TrentService.Decrypt}), else the {@code Action} of a query
 * request, else method and path. The proxy counts the requests it saw, the ones it forwarded (so
 * applied) and the faults it injected, per kind and operation.
 *
 * <p>Each request is forwarded on a fresh connection to the emulator with {@code Connection:
 * close}, its answer read whole and sent back with a {@code Content-Length}; the client's
 * connection is kept alive as HTTP/1.1 allows. Headers pass unchanged (the {@code Host} too: the
 * emulators do not check signatures).
 */
public final class FaultInjectingProxy implements AutoCloseable {
  /** How long a {@link FaultKind#TIMEOUT} holds an answer at most if the client never gives up. */
  public static final Duration DEFAULT_HOLD_LIMIT = Duration.ofSeconds(30);

  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "keep-alive", "transfer-encoding", "content-length", "expect", "te");

  private final URI target;
  private final Duration holdLimit;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile FaultPlan plan;
  private final Map<String, AtomicLong> indexes = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> seen = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> forwarded = new ConcurrentHashMap<>();
  private final Map<FaultKind, Map<String, AtomicLong>> injected = new EnumMap<>(FaultKind.class);
  private volatile boolean closed;

  private FaultInjectingProxy(URI target, FaultPlan plan, Duration holdLimit) throws IOException {
    this.target = Objects.requireNonNull(target, "target");
    this.plan = Objects.requireNonNull(plan, "plan");
    this.holdLimit = Objects.requireNonNull(holdLimit, "holdLimit");
    for (FaultKind k : FaultKind.values()) {
      injected.put(k, new ConcurrentHashMap<>());
    }
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    acceptor = Thread.ofPlatform().daemon().name("fault-proxy-accept").start(this::acceptLoop);
  }

  /**
   * A proxy to {@code target} (an {@code http} emulator endpoint) breaking requests by {@code
   * plan}.
   */
  public static FaultInjectingProxy start(URI target, FaultPlan plan) {
    return start(target, plan, DEFAULT_HOLD_LIMIT);
  }

  /** As {@link #start(URI, FaultPlan)}, holding a timed-out answer at most {@code holdLimit}. */
  public static FaultInjectingProxy start(URI target, FaultPlan plan, Duration holdLimit) {
    if (!"http".equals(target.getScheme())) {
      throw new IllegalArgumentException("the proxy forwards plain HTTP only: " + target);
    }
    try {
      return new FaultInjectingProxy(target, plan, holdLimit);
    } catch (IOException e) {
      throw new IllegalStateException("could not open the fault proxy's port", e);
    }
  }

  /** Where clients connect: {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create(
        "http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort());
  }

  /** Replaces the plan; request indexes start again from 0 for every operation. */
  public void plan(FaultPlan next) {
    synchronized (indexes) {
      this.plan = Objects.requireNonNull(next, "plan");
      indexes.clear();
    }
  }

  public FaultPlan plan() {
    return plan;
  }

  /** Forgets every count (requests seen, forwarded, faults injected). */
  public void resetCounts() {
    seen.clear();
    forwarded.clear();
    injected.values().forEach(Map::clear);
  }

  /** Faults of {@code kind} injected so far, per operation. */
  public Map<String, Long> injected(FaultKind kind) {
    return snapshot(injected.get(kind));
  }

  /** All faults injected so far. */
  public long injectedTotal() {
    return injected.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToLong(AtomicLong::get)
        .sum();
  }

  /** Faults of {@code kind} injected into {@code operation}. */
  public long injected(FaultKind kind, String operation) {
    AtomicLong n = injected.get(kind).get(operation);
    return n == null ? 0 : n.get();
  }

  /** Requests seen, per operation. */
  public Map<String, Long> requests() {
    return snapshot(seen);
  }

  /** Requests forwarded to the emulator (so applied, whether answered or not), per operation. */
  public Map<String, Long> forwarded() {
    return snapshot(forwarded);
  }

  private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        open.add(client);
        Thread.ofVirtual().name("fault-proxy-conn").start(() -> serve(client));
      } catch (IOException e) {
        if (!closed) {
          // A failed accept on an open server socket: keep serving.
          continue;
        }
      }
    }
  }

  /** One client connection: requests one after another (keep-alive) until it closes. */
  private void serve(Socket client) {
    try (client) {
      InputStream in = new java.io.BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      while (!closed) {
        Request request = Request.read(in, out);
        if (request == null) {
          return;
        }
        if (!handle(request, client, in, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // The client went away (or gave up on a held answer): nothing more to do.
    } finally {
      open.remove(client);
    }
  }

  /** Handles one request; false when the client connection must end. */
  private boolean handle(Request request, Socket client, InputStream in, OutputStream out)
      throws IOException {
    String op = request.operation();
    seen.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
    Optional<FaultKind> fault;
    synchronized (indexes) {
      long index = indexes.computeIfAbsent(op, k -> new AtomicLong()).getAndIncrement();
      fault = plan.decide(op, index);
    }
    fault.ifPresent(
        k -> injected.get(k).computeIfAbsent(op, x -> new AtomicLong()).incrementAndGet());
    if (fault.isPresent() && fault.get() == FaultKind.THROTTLE) {
      writeError(
          out,
          request,
          400,
          throttleType(op),
          "Rate of requests exceeds the allowed throughput (injected)");
      return !request.wantsClose();
    }
    if (fault.isPresent() && fault.get() == FaultKind.SERVER_ERROR) {
      writeError(out, request, 500, serverErrorType(op), "Internal server error (injected)");
      return !request.wantsClose();
    }
    Response response = forward(request);
    forwarded.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
    if (fault.isPresent() && fault.get() == FaultKind.DROP_AFTER_APPLY) {
      // Applied; the answer is lost with the connection.
      return false;
    }
    if (fault.isPresent() && fault.get() == FaultKind.TIMEOUT) {
      hold(client, in);
      return false;
    }
    response.write(out, request.wantsClose());
    return !request.wantsClose();
  }

  /** Waits until the client closes its end (its attempt timed out) or the hold limit passes. */
  private void hold(Socket client, InputStream in) {
    try {
      client.setSoTimeout((int) Math.max(1, holdLimit.toMillis()));
      while (in.read() >= 0) {
        // A client does not send on a connection that waits for an answer; ignore anything.
      }
    } catch (SocketTimeoutException | SocketException e) {
      // Hold limit reached, or the client reset the connection.
    } catch (IOException e) {
      // Gone.
    }
  }

  private Response forward(Request request) throws IOException {
    try (Socket upstream = new Socket()) {
      int port = target.getPort() < 0 ? 80 : target.getPort();
      upstream.connect(new InetSocketAddress(target.getHost(), port), 5_000);
      upstream.setSoTimeout(120_000);
      OutputStream up = upstream.getOutputStream();
      StringBuilder head = new StringBuilder();
      head.append(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n");
      for (String[] h : request.headers()) {
        if (!HOP_BY_HOP.contains(h[0].toLowerCase(Locale.ROOT))) {
          head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
      }
      head.append("Content-Length: ").append(request.body().length).append("\r\n");
      head.append("Connection: close\r\n\r\n");
      up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      up.write(request.body());
      up.flush();
      return Response.read(new java.io.BufferedInputStream(upstream.getInputStream()));
    }
  }

  private static String throttleType(String op) {
    if (op.startsWith("DynamoDB")) {
      return "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException";
    }
    return "ThrottlingException";
  }

  private static String serverErrorType(String op) {
    if (op.startsWith("DynamoDB")) {
      return "com.amazonaws.dynamodb.v20120810#InternalServerError";
    }
    return "InternalFailure";
  }

  private static void writeError(
      OutputStream out, Request request, int status, String type, String message)
      throws IOException {
    String contentType = request.header("content-type").orElse("application/x-amz-json-1.0");
    byte[] body =
        ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"Content-Type", contentType});
    headers.add(new String[] {"x-amzn-RequestId", UUID.randomUUID().toString()});
    headers.add(new String[] {"x-amzn-ErrorType", type.substring(type.indexOf('#') + 1)});
    new Response(status, status == 400 ? "Bad Request" : "Internal Server Error", headers, body)
        .write(out, request.wantsClose());
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    acceptor.interrupt();
  }

  // ---- a minimal HTTP/1.1 reader and writer ----

  private record Request(String method, String path, List<String[]> headers, byte[] body) {

    /** The next request on the connection, or null when the client closed it. */
    static Request read(InputStream in, OutputStream out) throws IOException {
      String line = readLine(in);
      while (line != null && line.isEmpty()) {
        line = readLine(in);
      }
      if (line == null) {
        return null;
      }
      String[] parts = line.split(" ", 3);
      if (parts.length < 3) {
        throw new IOException("not an HTTP request line: " + line);
      }
      List<String[]> headers = readHeaders(in);
      Request head = new Request(parts[0], parts[1], headers, new byte[0]);
      if (head.header("expect").filter(v -> v.equalsIgnoreCase("100-continue")).isPresent()) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
      byte[] body = readBody(in, headers, false);
      return new Request(parts[0], parts[1], headers, body);
    }

    Optional<String> header(String name) {
      return Message.header(headers, name);
    }

    boolean wantsClose() {
      return header("connection").filter(v -> v.equalsIgnoreCase("close")).isPresent();
    }

    /** The X-Amz-Target, else the query protocol's Action, else method and path. */
    String operation() {
      Optional<String> target = header("x-amz-target");
      if (target.isPresent()) {
        return target.get().trim();
      }
      String text = new String(body, StandardCharsets.UTF_8);
      for (String pair : text.split("&")) {
        if (pair.startsWith("Action=")) {
          return pair.substring("Action=".length());
        }
      }
      int q = path.indexOf('?');
      return method + " " + (q < 0 ? path : path.substring(0, q));
    }
  }

  private record Response(int status, String reason, List<String[]> headers, byte[] body) {

    static Response read(InputStream in) throws IOException {
      String line = readLine(in);
      if (line == null) {
        throw new IOException("the emulator closed the connection without an answer");
      }
      String[] parts = line.split(" ", 3);
      int status = Integer.parseInt(parts[1]);
      List<String[]> headers = readHeaders(in);
      byte[] body = readBody(in, headers, true);
      return new Response(status, parts.length > 2 ? parts[2] : "", headers, body);
    }

    void write(OutputStream out, boolean close) throws IOException {
      StringBuilder head = new StringBuilder();
      head.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
      for (String[] h : headers) {
        if (!HOP_BY_HOP.contains(h[0].toLowerCase(Locale.ROOT))) {
          head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
      }
      head.append("Content-Length: ").append(body.length).append("\r\n");
      head.append(close ? "Connection: close\r\n" : "Connection: keep-alive\r\n");
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
    }
  }

  private static final class Message {
    static Optional<String> header(List<String[]> headers, String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return Optional.of(h[1]);
        }
      }
      return Optional.empty();
    }
  }

  private static List<String[]> readHeaders(InputStream in) throws IOException {
    List<String[]> headers = new ArrayList<>();
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(
            new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
      }
    }
    return headers;
  }

  /**
   * A body by Content-Length or chunked; an answer without either runs to the end of the stream.
   */
  private static byte[] readBody(InputStream in, List<String[]> headers, boolean toEof)
      throws IOException {
    Optional<String> te = Message.header(headers, "transfer-encoding");
    if (te.isPresent() && te.get().toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String size = readLine(in);
        if (size == null) {
          throw new IOException("chunked body cut short");
        }
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (n == 0) {
          // Trailers up to the empty line.
          for (String t = readLine(in); t != null && !t.isEmpty(); t = readLine(in)) {
            // ignored
          }
          return body.toByteArray();
        }
        body.write(in.readNBytes(n));
        readLine(in);
      }
    }
    Optional<String> length = Message.header(headers, "content-length");
    if (length.isPresent()) {
      int n = Integer.parseInt(length.get().trim());
      byte[] body = in.readNBytes(n);
      if (body.length < n) {
        throw new IOException("body cut short");
      }
      return body;
    }
    return toEof ? in.readAllBytes() : new byte[0];
  }

  /** A line up to CRLF (or LF), without it; null at the end of the stream. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        byte[] b = line.toByteArray();
        int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, len, StandardCharsets.ISO_8859_1);
      }
      line.write(c);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }
}
