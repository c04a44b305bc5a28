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
 */
public final class HttpsPoster {
  private static final int MAX_LINE = 8192;

  private final SSLContext tls;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  /**
   * @param tls the trust material: the JVM's trust store in production, the test receiver's
   *     certificate in tests; verification is never switched off
   */
  public HttpsPoster(SSLContext tls, Duration connectTimeout, Duration readTimeout) {
    this.tls = Objects.requireNonNull(tls, "tls");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
  }

  /**
   * POSTs {@code body} with {@code headers} and returns the HTTP status code.
   *
   * @throws IOException when no approved address answers, TLS fails or the answer is not HTTP
   */
  public int post(UrlPolicy.Target target, Map<String, String> headers, byte[] body)
      throws IOException {
    IOException last = null;
    for (InetAddress address : target.addresses()) {
      Socket socket = new Socket();
      try {
        socket.connect(
            new InetSocketAddress(address, target.port()), (int) connectTimeout.toMillis());
      } catch (IOException e) {
        socket.close();
        last = e;
        continue;
      }
      try (SSLSocket ssl =
          (SSLSocket)
              tls.getSocketFactory().createSocket(socket, target.host(), target.port(), true)) {
        ssl.setSoTimeout((int) readTimeout.toMillis());
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(target.host())) {
          params.setServerNames(List.of(new SNIHostName(target.host())));
        }
        params.setApplicationProtocols(new String[] {"http/1.1"});
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        OutputStream out = ssl.getOutputStream();
        out.write(requestHead(target, headers, body.length).getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
        return readStatus(new BufferedInputStream(ssl.getInputStream()));
      }
    }
    throw last != null ? last : new IOException("no address to connect to");
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
    while (true) {
      String statusLine = readLine(in);
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
      while (!readLine(in).isEmpty()) {
        // Headers are not needed: only the status decides.
      }
      if (status >= 200 || status < 100) {
        return status;
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    int c;
    while ((c = in.read()) != -1) {
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
