package dev.nimbus.testing.https;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback: the JDK's HTTPS server with a BouncyCastle certificate. It
 * records every request and answers with a fixed status (or a sequence of statuses), so tests can
 * check signatures and bodies and make deliveries fail.
 */
public final class LocalHttpsReceiver implements AutoCloseable {

  /** One received request: headers (lower-case names) and body. */
  public record Received(String path, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final HttpsServer server;
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private final List<Integer> statuses;
  private final AtomicInteger calls = new AtomicInteger();

  private LocalHttpsReceiver(TestCertificates certificates, List<Integer> statuses) {
    this.statuses = List.copyOf(statuses);
    try {
      server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setHttpsConfigurator(new HttpsConfigurator(certificates.serverContext()));
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          Map<String, String> headers = new TreeMap<>();
          exchange
              .getRequestHeaders()
              .forEach(
                  (k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(new Received(exchange.getRequestURI().toString(), headers, body));
          int n = calls.getAndIncrement();
          int status = this.statuses.get(Math.min(n, this.statuses.size() - 1));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  /** A receiver that answers every request with {@code status}. */
  public static LocalHttpsReceiver answering(TestCertificates certificates, int status) {
    return new LocalHttpsReceiver(certificates, List.of(status));
  }

  /** A receiver that answers the n-th request with the n-th status, the last one thereafter. */
  public static LocalHttpsReceiver answering(
      TestCertificates certificates, List<Integer> statuses) {
    return new LocalHttpsReceiver(certificates, statuses);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The receiver's URL for a host name that the certificate names. */
  public URI url(String host, String path) {
    return URI.create("https://" + host + ":" + port() + path);
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
