package dev.nimbus.tunnel;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.nimbus.proxmox.client.tls.Fingerprints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for a tunnel's edge (Cloudflare Access, a reverse proxy): TLS with its own
 * certificate, the Proxmox API mounted under a path prefix, and every request refused (403) unless
 * it carries the access header. Accepted requests go on to the simulator, prefix stripped.
 */
final class TunnelGateway implements AutoCloseable {
  final String prefix;
  final String headerName;
  final String headerValue;
  final List<String> seenPaths = new CopyOnWriteArrayList<>();
  private final HttpsServer server;
  private final RunCertificateAuthority cert = RunCertificateAuthority.create();

  TunnelGateway(
      String prefix,
      String headerName,
      String headerValue,
      URI simulator,
      SSLContext trustSimulator)
      throws IOException {
    this.prefix = prefix;
    this.headerName = headerName;
    this.headerValue = headerValue;
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(cert.serverContext()));
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            String path = ex.getRequestURI().getRawPath();
            seenPaths.add(path);
            if (!headerValue.equals(ex.getRequestHeaders().getFirst(headerName))
                || !path.startsWith(prefix + "/")) {
              ex.sendResponseHeaders(403, -1);
              return;
            }
            String q = ex.getRequestURI().getRawQuery();
            var c =
                (HttpsURLConnection)
                    URI.create(
                            "https://127.0.0.1:"
                                + simulator.getPort()
                                + path.substring(prefix.length())
                                + (q == null ? "" : "?" + q))
                        .toURL()
                        .openConnection();
            c.setSSLSocketFactory(trustSimulator.getSocketFactory());
            c.setRequestMethod(ex.getRequestMethod());
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
              if (!h.getKey().equalsIgnoreCase("host")
                  && !h.getKey().equalsIgnoreCase("content-length")
                  && !h.getKey().equalsIgnoreCase("connection")) {
                c.setRequestProperty(h.getKey(), h.getValue().getFirst());
              }
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            if (body.length > 0) {
              c.setDoOutput(true);
              try (OutputStream o = c.getOutputStream()) {
                o.write(body);
              }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] answer = in == null ? new byte[0] : in.readAllBytes();
            ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            ex.getResponseBody().write(answer);
          }
        });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String fingerprint() {
    return Fingerprints.sha256(cert.leafCertificate());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
