package dev.nimbus.testing.https;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;

/**
 * A hostile webhook receiver on loopback: a real TLS server that accepts each request and then
 * keeps the connection busy without ever finishing its answer, sending one byte (or line) per
 * {@code interval}, always well inside any read timeout. It stands for the receivers that held a
 * delivery for 25 s despite a 2 s read timeout.
 */
public final class TricklingHttpsReceiver implements AutoCloseable {

  /** How the receiver stalls. */
  public enum Mode {
    /** {@code HTTP/1.1 100 Continue} interim answers, one after another, forever. */
    CONTINUE_LINES,
    /** {@code 200 OK}, then header lines one byte at a time, never the blank line. */
    HEADER_BYTES,
    /** A complete {@code 200 OK} head, then a chunked body that never ends. */
    ENDLESS_BODY,
    /** Says nothing at all after TLS: the request is read and no answer ever comes. */
    SILENT
  }

  private final SSLServerSocket server;
  private final Mode mode;
  private final Duration interval;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger closedByClient = new AtomicInteger();
  private volatile boolean closed;

  private TricklingHttpsReceiver(TestCertificates certificates, Mode mode, Duration interval) {
    this.mode = mode;
    this.interval = interval;
    try {
      server =
          (SSLServerSocket)
              certificates
                  .serverContext()
                  .getServerSocketFactory()
                  .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    threads.submit(this::acceptLoop);
  }

  /** A receiver that stalls every request the given way, one byte or line per {@code interval}. */
  public static TricklingHttpsReceiver start(
      TestCertificates certificates, Mode mode, Duration interval) {
    return new TricklingHttpsReceiver(certificates, mode, interval);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The receiver's URL for a host name that the certificate names. */
  public URI url(String host, String path) {
    return URI.create("https://" + host + ":" + port() + path);
  }

  /** Requests whose head and body were read completely. */
  public int requests() {
    return requests.get();
  }

  /** Connections the client closed while the receiver was still trickling. */
  public int closedByClient() {
    return closedByClient.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        threads.submit(() -> serve(socket));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      readRequest(in);
      requests.incrementAndGet();
      OutputStream out = socket.getOutputStream();
      byte[] drip =
          switch (mode) {
            case CONTINUE_LINES ->
                "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            case HEADER_BYTES -> "X-Pad: 1\r\n".getBytes(StandardCharsets.US_ASCII);
            case ENDLESS_BODY -> "1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
            case SILENT -> new byte[0];
          };
      if (mode == Mode.HEADER_BYTES) {
        out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
      } else if (mode == Mode.ENDLESS_BODY) {
        out.write(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
      while (!closed) {
        if (mode == Mode.SILENT) {
          // Only notice the client going away.
          if (in.read() == -1) {
            throw new IOException("closed by the client");
          }
          continue;
        }
        // A whole interim answer per interval, or one byte per interval.
        if (mode == Mode.CONTINUE_LINES || mode == Mode.ENDLESS_BODY) {
          out.write(drip);
          out.flush();
        } else {
          for (byte b : drip) {
            out.write(b);
            out.flush();
            Thread.sleep(interval);
          }
          continue;
        }
        Thread.sleep(interval);
      }
    } catch (IOException e) {
      if (!closed) {
        closedByClient.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(socket);
    }
  }

  /** Reads the request head and its Content-Length body, so the client's write never blocks. */
  private static void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int c = in.read();
      if (c == -1) {
        throw new IOException("closed before the request head ended");
      }
      head.write(c);
      matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    long length = 0;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    in.readNBytes((int) length);
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    open.forEach(
        s -> {
          try {
            s.close();
          } catch (IOException e) {
            // Closing anyway.
          }
        });
    threads.shutdownNow();
  }
}
