package dev.nimbus.proxmox.client.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLServerSocket;

/**
 * A tiny HTTPS server on 127.0.0.1 that answers like pveproxy: error text in the HTTP reason
 * phrase, any status code (595...), keep-alive. Written on raw sockets because the JDK's
 * HttpsServer cannot set a reason phrase. Records every request and connection.
 */
public final class FakePve implements AutoCloseable {
  /** One received request; {@code path} is the API path after {@code /api2/json}. */
  public record Request(
      String method,
      String rawPath,
      String path,
      Map<String, String> query,
      Map<String, String> headers,
      Map<String, String> form,
      int connection) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Writes a whole answer (status line, headers, body) itself, for answers a well-behaved server
   * never gives: cut bodies, resets, trickles, chunked or huge bodies. The connection is closed
   * after it returns.
   */
  @FunctionalInterface
  public interface RawAnswer {
    void write(Socket socket, OutputStream out) throws IOException, InterruptedException;
  }

  /**
   * An answer: status, reason phrase, body, optional delay before answering, content type, or a
   * {@link RawAnswer} that writes everything itself.
   */
  public record Reply(
      int status, String reason, String body, long delayMillis, String contentType, RawAnswer raw) {
    public static final String JSON = "application/json;charset=UTF-8";

    public Reply(int status, String reason, String body, long delayMillis) {
      this(status, reason, body, delayMillis, JSON, null);
    }

    public Reply(int status, String reason, String body, long delayMillis, String contentType) {
      this(status, reason, body, delayMillis, contentType, null);
    }

    /** An answer written byte by byte by {@code raw}; the connection closes afterwards. */
    public static Reply rawAnswer(RawAnswer raw) {
      return new Reply(200, "OK", "", 0, JSON, raw);
    }

    /** 200 whose Content-Length promises {@code body} but only {@code sent} bytes come. */
    public static Reply truncated(String body, int sent) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      return rawAnswer(
          (socket, out) -> {
            out.write(head(200, "OK", bytes.length));
            out.write(bytes, 0, sent);
            out.flush();
          });
    }

    /** 200 with {@code sent} bytes of {@code body}, then a TCP reset. */
    public static Reply reset(String body, int sent) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      return rawAnswer(
          (socket, out) -> {
            out.write(head(200, "OK", bytes.length));
            out.write(bytes, 0, sent);
            out.flush();
            socket.setSoLinger(true, 0);
          });
    }

    /** 200 with {@code body} sent {@code chunk} bytes at a time, {@code delayMillis} apart. */
    public static Reply trickled(String body, int chunk, long delayMillis) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      return rawAnswer(
          (socket, out) -> {
            out.write(head(200, "OK", bytes.length));
            out.flush();
            for (int off = 0; off < bytes.length; off += chunk) {
              out.write(bytes, off, Math.min(chunk, bytes.length - off));
              out.flush();
              Thread.sleep(delayMillis);
            }
          });
    }

    /**
     * 200 with a valid JSON list of about {@code bytes} bytes, generated while sending, with an
     * honest Content-Length or (when {@code chunked}) chunked transfer encoding and no length.
     */
    public static Reply huge(long bytes, boolean chunked) {
      byte[] element = ("{\"pad\":\"" + "x".repeat(1000) + "\"},").getBytes(StandardCharsets.UTF_8);
      byte[] open = "{\"data\":[".getBytes(StandardCharsets.UTF_8);
      byte[] close = "{}]}".getBytes(StandardCharsets.UTF_8);
      long count = Math.max(0, (bytes - open.length - close.length) / element.length);
      long length = open.length + count * element.length + close.length;
      return rawAnswer(
          (socket, out) -> {
            if (chunked) {
              out.write(
                  ("HTTP/1.1 200 OK\r\nContent-Type: "
                          + JSON
                          + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                      .getBytes(StandardCharsets.UTF_8));
              writeChunk(out, open);
              for (long i = 0; i < count; i++) {
                writeChunk(out, element);
              }
              writeChunk(out, close);
              out.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            } else {
              out.write(head(200, "OK", length));
              out.write(open);
              for (long i = 0; i < count; i++) {
                out.write(element);
              }
              out.write(close);
            }
            out.flush();
          });
    }

    private static void writeChunk(OutputStream out, byte[] bytes) throws IOException {
      out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(bytes);
      out.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] head(int status, String reason, long length) {
      return ("HTTP/1.1 "
              + status
              + " "
              + reason
              + "\r\nContent-Type: "
              + JSON
              + "\r\nContent-Length: "
              + length
              + "\r\nConnection: keep-alive\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8);
    }

    public static Reply ok(String json) {
      return new Reply(200, "OK", json, 0);
    }

    /** A 200 with any body and content type (an HTML page, an empty body...). */
    public static Reply raw(String contentType, String body) {
      return new Reply(200, "OK", body, 0, contentType);
    }

    public static Reply data(String dataJson) {
      return ok("{\"data\":" + dataJson + "}");
    }

    public static Reply error(int status, String reason) {
      return new Reply(status, reason, "{\"data\":null}", 0);
    }

    public Reply delayed(long millis) {
      return new Reply(status, reason, body, millis, contentType, raw);
    }
  }

  private final ServerSocket server;
  private final Map<String, Function<Request, Reply>> routes = new ConcurrentHashMap<>();
  private volatile Function<Request, Reply> fallback;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  public FakePve(TestPki.NodeIdentity identity) {
    try {
      server =
          identity
              .serverContext()
              .getServerSocketFactory()
              .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
      ((SSLServerSocket) server).setUseClientMode(false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofVirtual().name("fake-pve-accept").start(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  public URI baseUri() {
    return URI.create("https://127.0.0.1:" + port());
  }

  /** Answers {@code method path} (API path, no query) with {@code handler}. */
  public FakePve route(String method, String path, Function<Request, Reply> handler) {
    routes.put(method + " " + path, handler);
    return this;
  }

  /** Answers every request that has no route of its own with {@code handler}. */
  public FakePve fallback(Function<Request, Reply> handler) {
    this.fallback = handler;
    return this;
  }

  /** Answers {@code GET path} with a fixture file from {@code src/test/resources/fixtures}. */
  public FakePve fixture(String path, String fixture) {
    String body = Fixtures.text(fixture);
    return route("GET", path, r -> Reply.ok(body));
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requests(String method, String path) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }

  public int connections() {
    return connections.get();
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        int id = connections.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(socket, id));
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  private void serve(Socket socket, int connection) {
    try (socket) {
      // Head and body go out as separate writes: without this, Nagle and delayed ACKs add ~40 ms.
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (!closed) {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
          return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
          int colon = line.indexOf(':');
          headers.put(
              line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        String[] parts = requestLine.split(" ");
        URI uri = URI.create(parts[1]);
        String rawPath = uri.getRawPath();
        int api = rawPath.indexOf("/api2/json");
        String path =
            URLDecoder.decode(
                api < 0 ? rawPath : rawPath.substring(api + "/api2/json".length()),
                StandardCharsets.UTF_8);
        Request request =
            new Request(
                parts[0],
                rawPath,
                path,
                parseForm(uri.getRawQuery()),
                Collections.unmodifiableMap(headers),
                parseForm(body),
                connection);
        requests.add(request);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        Reply reply;
        try {
          Function<Request, Reply> handler = routes.get(parts[0] + " " + path);
          if (handler == null) {
            handler = fallback;
          }
          reply =
              handler == null
                  ? Reply.error(501, "Method '" + parts[0] + " " + path + "' not implemented")
                  : handler.apply(request);
          if (reply.delayMillis() > 0) {
            Thread.sleep(reply.delayMillis());
          }
        } finally {
          inFlight.decrementAndGet();
        }
        if (reply.raw() != null) {
          reply.raw().write(socket, out);
          return;
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        String head =
            "HTTP/1.1 "
                + reply.status()
                + " "
                + reply.reason()
                + "\r\nContent-Type: "
                + reply.contentType()
                + "\r\nContent-Length: "
                + bytes.length
                + "\r\nConnection: keep-alive\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.UTF_8));
        out.write(bytes);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // Client went away or the server is closing.
    } finally {
      open.remove(socket);
    }
  }

  private static Map<String, String> parseForm(String encoded) {
    Map<String, String> out = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return out;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** Reads test fixtures. */
  public static final class Fixtures {
    private Fixtures() {}

    public static String text(String name) {
      try (InputStream in = FakePve.class.getResourceAsStream("/fixtures/" + name)) {
        if (in == null) {
          throw new IllegalArgumentException("no fixture " + name);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public static List<Path> list(Path dir) {
      try (var files = Files.list(dir)) {
        return new ArrayList<>(files.filter(p -> p.toString().endsWith(".json")).sorted().toList());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
