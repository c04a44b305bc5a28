package dev.nimbus.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A minimal HTTP CONNECT proxy for tests: records the targets asked for and relays bytes. */
final class ConnectProxy implements AutoCloseable {
  private final ServerSocket server;
  final List<String> targets = new CopyOnWriteArrayList<>();

  ConnectProxy() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket client = server.accept();
                  Thread.ofVirtual().start(() -> handle(client));
                } catch (IOException e) {
                  return;
                }
              }
            });
  }

  int port() {
    return server.getLocalPort();
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        head.append((char) b);
      }
      String first = head.substring(0, head.indexOf("\r\n"));
      String[] parts = first.split(" ");
      if (!parts[0].equals("CONNECT")) {
        client
            .getOutputStream()
            .write("HTTP/1.1 405 Only CONNECT\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      targets.add(parts[1]);
      String host = parts[1].substring(0, parts[1].lastIndexOf(':'));
      int port = Integer.parseInt(parts[1].substring(parts[1].lastIndexOf(':') + 1));
      try (Socket upstream = new Socket(host, port)) {
        OutputStream out = client.getOutputStream();
        out.write(
            "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread t = Thread.ofVirtual().start(() -> pipe(upstream, client));
        pipe(client, upstream);
        t.join();
      }
    } catch (IOException | InterruptedException e) {
      // The relay ends with either side.
    }
  }

  private static void pipe(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
