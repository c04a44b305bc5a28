package dev.nimbus.tunnel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.tls.FingerprintMismatchException;
import dev.nimbus.proxmox.client.tls.TlsContexts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * Gives a deployment the same path to Proxmox that discovery has. The bpg/proxmox provider can
 * neither pin a fingerprint nor send a tunnel's extra headers, and it has no proxy setting of its
 * own; so for each run this forwarder listens on {@code 127.0.0.1} (TLS, with a leaf from a {@link
 * RunCertificateAuthority} the provider is told to trust) and forwards each request to the
 * connection's endpoint: through its HTTP CONNECT or SOCKS5 proxy, under its path prefix, with its
 * extra headers, verifying the pinned fingerprints or the CA exactly as the Proxmox client does
 * (the same {@link TlsContexts}). There is no way to turn verification off.
 *
 * <p>Only {@code /api2/...} paths are forwarded. The provider's own {@code Authorization} header
 * passes through unchanged and is never logged; the log shows method, path and status only.
 */
public final class LoopbackForwarder implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LoopbackForwarder.class.getName());

  /** Hop-by-hop and framing headers, which each side sets for itself. */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "expect");

  private final ClientSettings upstream;
  private final RunCertificateAuthority ca;
  private final TlsContexts.TlsSetup tls;
  private final Proxy proxy;
  private final HttpsServer server;
  private final ExecutorService executor;
  private final AtomicLong forwarded = new AtomicLong();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Duration readTimeout;

  private LoopbackForwarder(ClientSettings upstream, RunCertificateAuthority ca, int port)
      throws IOException {
    this.upstream = upstream;
    this.ca = ca;
    this.tls = TlsContexts.forTrust(upstream.trust());
    this.proxy = upstream.proxy() == null ? null : upstream.proxy().toProxy();
    this.readTimeout =
        upstream.readTimeout().compareTo(Duration.ofMinutes(2)) > 0
            ? upstream.readTimeout()
            : Duration.ofMinutes(2);
    this.server =
        HttpsServer.create(new InetSocketAddress(RunCertificateAuthority.loopback(), port), 64);
    server.setHttpsConfigurator(
        new HttpsConfigurator(ca.serverContext()) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = ca.serverContext().getDefaultSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            p.setNeedClientAuth(false);
            params.setSSLParameters(p);
          }
        });
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a forwarder to the Proxmox endpoint of {@code upstream} (as {@code
   * ProxmoxClients.settings} builds it for a connection), with a new per-run CA.
   */
  public static LoopbackForwarder start(ClientSettings upstream) {
    return start(upstream, 0);
  }

  /**
   * As {@link #start(ClientSettings)}, listening on {@code port} (0: an ephemeral one). The Pulumi
   * runner uses a fixed port: the engine keeps the provider's endpoint in the stack's state and a
   * {@code destroy} talks to that endpoint without running the program, so the endpoint must be the
   * same in every run.
   */
  public static LoopbackForwarder start(ClientSettings upstream, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + port);
    }
    try {
      return new LoopbackForwarder(upstream, RunCertificateAuthority.create(), port);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start the loopback forwarder"
              + (port == 0 ? "" : " on 127.0.0.1:" + port + " (is another run using it?)"),
          e);
    }
  }

  /** The endpoint to give the provider: {@code https://127.0.0.1:<port>/}. */
  public URI endpoint() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The per-run CA certificate (PEM) the provider must trust to reach {@link #endpoint()}. */
  public String caCertificatePem() {
    return ca.caCertificatePem();
  }

  /** Requests forwarded so far (answered by Proxmox, whatever the status). */
  public long forwardedRequests() {
    return forwarded.get();
  }

  /**
   * Why requests could not reach Proxmox (TLS refused, proxy refused, timeout), in order: the
   * runner reports these, since the provider only sees a 502.
   */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    String rawPath = ex.getRequestURI().getRawPath();
    try (ex) {
      if (rawPath == null || !rawPath.startsWith("/api2/") || rawPath.contains("/../")) {
        reply(ex, 404, "{\"data\":null,\"message\":\"only /api2/ paths are forwarded\"}");
        return;
      }
      String query = ex.getRequestURI().getRawQuery();
      String url =
          upstream.baseUri() + upstream.pathPrefix() + rawPath + (query == null ? "" : "?" + query);
      byte[] body = ex.getRequestBody().readAllBytes();
      HttpURLConnection c;
      int status;
      try {
        c =
            (HttpURLConnection)
                (proxy == null
                    ? URI.create(url).toURL().openConnection()
                    : URI.create(url).toURL().openConnection(proxy));
        if (c instanceof HttpsURLConnection https) {
          https.setSSLSocketFactory(tls.socketFactory());
          if (tls.hostnameVerifier() != null) {
            https.setHostnameVerifier(tls.hostnameVerifier());
          }
        }
        c.setConnectTimeout((int) upstream.connectTimeout().toMillis());
        c.setReadTimeout((int) readTimeout.toMillis());
        c.setUseCaches(false);
        c.setInstanceFollowRedirects(false);
        c.setRequestMethod(method);
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
          if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
            c.setRequestProperty(h.getKey(), String.join(", ", h.getValue()));
          }
        }
        upstream
            .extraHeaders()
            .forEach((name, value) -> c.setRequestProperty(name, value.reveal()));
        if (body.length > 0 || method.equals("POST") || method.equals("PUT")) {
          c.setDoOutput(true);
          // Streaming: HttpURLConnection never re-sends a request with a body on its own.
          c.setFixedLengthStreamingMode(body.length);
          try (OutputStream out = c.getOutputStream()) {
            out.write(body);
          }
        }
        status = c.getResponseCode();
      } catch (HttpRetryException e) {
        // A 401 in streaming mode surfaces as this exception; the provider needs the 401 itself.
        forwarded.incrementAndGet();
        log(method, rawPath, e.responseCode());
        reply(ex, e.responseCode(), "{\"data\":null,\"message\":\"authentication failure\"}");
        return;
      } catch (IOException | RuntimeException e) {
        String why = describe(e);
        failures.add(method + " " + rawPath + ": " + why);
        LOG.log(System.Logger.Level.WARNING, method + " " + rawPath + " not forwarded: " + why);
        reply(
            ex, 502, "{\"data\":null,\"message\":" + jsonString("Nimbus forwarder: " + why) + "}");
        return;
      }
      forwarded.incrementAndGet();
      log(method, rawPath, status);
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      byte[] answer = in == null ? new byte[0] : in.readAllBytes();
      for (Map.Entry<String, List<String>> h : c.getHeaderFields().entrySet()) {
        if (h.getKey() != null && !NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
          ex.getResponseHeaders().put(h.getKey(), h.getValue());
        }
      }
      ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        ex.getResponseBody().write(answer);
      }
    }
  }

  private static void log(String method, String path, int status) {
    LOG.log(System.Logger.Level.DEBUG, () -> method + " " + path + " -> " + status);
  }

  /** A reason naming the kind of failure, never a header or body. */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FingerprintMismatchException fm) {
        return "Proxmox presented certificate "
            + fm.seen()
            + ", which is not pinned for this connection";
      }
    }
    if (e instanceof SSLHandshakeException) {
      return "TLS verification of Proxmox failed: " + e.getMessage();
    }
    if (e instanceof java.net.SocketTimeoutException) {
      return "Proxmox did not answer in time";
    }
    if (e instanceof java.net.ConnectException) {
      return "connection refused: " + e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Stops listening at once; the per-run CA goes with this object. */
  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
