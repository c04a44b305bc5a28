package dev.nimbus.pvesim;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * One node's HTTPS endpoint on loopback: a minimal HTTP/1.1 server with keep-alive, one virtual
 * thread per connection. Written by hand (not the JDK HttpServer) because Proxmox puts its error
 * text in the status line's reason phrase, and because faults need raw control of the socket.
 */
final class HttpsListener implements AutoCloseable {
  private static final int MAX_HEADER_BYTES = 8 * 1024;
  // pve-http-server refuses non-upload bodies over 512 KiB.
  private static final int MAX_BODY_BYTES = 512 * 1024;
  private static final int IDLE_TIMEOUT_MS = 30_000;
  private static final int TRICKLE_CHUNK = 256;

  private final String node;
  private final SSLServerSocket server;
  private final Function<HttpMessages.Request, HttpMessages.Response> handler;
  private final RequestCounter counter;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  HttpsListener(
      String node,
      SSLContext ssl,
      int port,
      Function<HttpMessages.Request, HttpMessages.Response> handler,
      RequestCounter counter)
      throws IOException {
    this.node = node;
    this.handler = handler;
    this.counter = counter;
    this.server =
        (SSLServerSocket)
            ssl.getServerSocketFactory()
                .createServerSocket(port, 200, InetAddress.getLoopbackAddress());
    server.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    this.acceptor = Thread.ofVirtual().name("pvesim-accept-" + node).start(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        open.add(s);
        Thread.ofVirtual().name("pvesim-conn-" + node).start(() -> serve((SSLSocket) s));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serve(SSLSocket socket) {
    try (socket) {
      socket.setSoTimeout(IDLE_TIMEOUT_MS);
      socket.setTcpNoDelay(true);
      // Explicit, so that a completed handshake is counted (a listener would cost a thread each).
      socket.startHandshake();
      counter.recordHandshake();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      while (!closed) {
        HttpMessages.Request request;
        try {
          request = readRequest(in, out);
        } catch (RequestTooLarge e) {
          write(
              out,
              HttpMessages.Response.json(
                  e.status, e.getMessage(), "{\"data\":null}".getBytes(StandardCharsets.UTF_8)),
              false);
          return;
        }
        if (request == null) {
          return;
        }
        HttpMessages.Response response = handler.apply(request);
        boolean keepAlive = !"close".equalsIgnoreCase(request.header("connection"));
        if (response.delivery() == HttpMessages.Delivery.RESET_MIDWAY) {
          writeHead(out, response, true);
          out.write(response.body(), 0, response.body().length / 2);
          out.flush();
          // Abort: linger 0 turns the close into a TCP reset, the client sees a truncated body.
          socket.setSoLinger(true, 0);
          return;
        }
        if (response.delivery() == HttpMessages.Delivery.TRUNCATED) {
          // Content-Length promises the whole body; half of it arrives, then an orderly close.
          writeHead(out, response, true);
          out.write(response.body(), 0, response.body().length / 2);
          out.flush();
          return;
        }
        write(out, response, keepAlive);
        if (!keepAlive) {
          return;
        }
      }
    } catch (SocketTimeoutException | SocketException e) {
      // Idle keep-alive connection or client went away.
    } catch (IOException e) {
      // TLS handshake failures (a client that does not trust the CA) end here too.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(socket);
    }
  }

  private static final class RequestTooLarge extends IOException {
    final int status;

    RequestTooLarge(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private HttpMessages.Request readRequest(InputStream in, OutputStream out) throws IOException {
    String requestLine = readLine(in, true);
    if (requestLine == null) {
      return null;
    }
    while (requestLine.isEmpty()) {
      requestLine = readLine(in, true);
      if (requestLine == null) {
        return null;
      }
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3) {
      throw new RequestTooLarge(400, "Bad Request");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    int headerBytes = 0;
    for (String line = readLine(in, false);
        line != null && !line.isEmpty();
        line = readLine(in, false)) {
      headerBytes += line.length();
      if (headerBytes > MAX_HEADER_BYTES) {
        throw new RequestTooLarge(400, "header too large");
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in, false);
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
          readLine(in, false);
          break;
        }
        if (buf.size() + size > MAX_BODY_BYTES) {
          throw new RequestTooLarge(501, "for data too large");
        }
        buf.write(in.readNBytes(size));
        readLine(in, false);
      }
      body = buf.toByteArray();
    } else {
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      if (length > MAX_BODY_BYTES) {
        throw new RequestTooLarge(501, "for data too large");
      }
      body = in.readNBytes(length);
    }
    return new HttpMessages.Request(parts[0], parts[1], headers, body, node);
  }

  private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (line.size() == 0 && eofAllowed) {
          return null;
        }
        throw new SocketException("connection closed mid-request");
      }
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        line.write(b);
      }
      if (line.size() > MAX_HEADER_BYTES) {
        throw new RequestTooLarge(400, "header too large");
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private void write(OutputStream out, HttpMessages.Response response, boolean keepAlive)
      throws IOException, InterruptedException {
    writeHead(out, response, keepAlive);
    byte[] body = response.body();
    if (response.delivery() == HttpMessages.Delivery.PADDED_LIST) {
      writePaddedList(out, response.streamedLength());
    } else if (response.delivery() == HttpMessages.Delivery.TRICKLE) {
      out.flush();
      for (int off = 0; off < body.length; off += TRICKLE_CHUNK) {
        out.write(body, off, Math.min(TRICKLE_CHUNK, body.length - off));
        out.flush();
        if (off + TRICKLE_CHUNK < body.length) {
          Thread.sleep(response.chunkDelay());
        }
      }
    } else {
      out.write(body);
    }
    out.flush();
  }

  private static final byte[] PADDING_ELEMENT = paddingElement();

  private static byte[] paddingElement() {
    // ,{"padding":"xxx...x"} is 15 bytes plus the padding: 1024 bytes per element.
    return (",{\"padding\":\"" + "x".repeat(1024 - 15) + "\"}").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Streams {@code {"data":[{"padding":"..."},...]}} of exactly {@code length} bytes (at least 64),
   * valid JSON, without holding it: the first element absorbs the remainder, the rest are 1 KiB.
   */
  static void writePaddedList(OutputStream out, long length) throws IOException {
    byte[] open = "{\"data\":[{\"padding\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[] closeFirst = "\"}".getBytes(StandardCharsets.US_ASCII);
    byte[] end = "]}".getBytes(StandardCharsets.US_ASCII);
    long inner = length - end.length - open.length - closeFirst.length;
    long more = Math.max(0, inner / PADDING_ELEMENT.length - 1);
    long firstPadding = inner - more * PADDING_ELEMENT.length;
    out.write(open);
    byte[] x = new byte[(int) Math.min(firstPadding, 4096)];
    Arrays.fill(x, (byte) 'x');
    for (long left = firstPadding; left > 0; left -= x.length) {
      out.write(x, 0, (int) Math.min(x.length, left));
    }
    out.write(closeFirst);
    for (long i = 0; i < more; i++) {
      out.write(PADDING_ELEMENT);
    }
    out.write(end);
  }

  private static void writeHead(OutputStream out, HttpMessages.Response response, boolean keepAlive)
      throws IOException {
    String reason =
        response.reason().replaceAll("[\\r\\n]+", " ").replaceAll("[^\\x20-\\x7e]", "?");
    StringBuilder head = new StringBuilder();
    head.append("HTTP/1.1 ").append(response.status()).append(' ').append(reason).append("\r\n");
    head.append("Cache-Control: max-age=0\r\n");
    head.append("Connection: ").append(keepAlive ? "Keep-Alive" : "close").append("\r\n");
    head.append("Date: ")
        .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
        .append("\r\n");
    head.append("Pragma: no-cache\r\n");
    head.append("Server: pve-api-daemon/3.0\r\n");
    head.append("Content-Length: ").append(response.contentLength()).append("\r\n");
    head.append("Content-Type: ").append(response.contentType()).append("\r\n");
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Closes every open connection, keeps listening. */
  void closeConnections() {
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    open.clear();
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
    acceptor.interrupt();
  }
}
