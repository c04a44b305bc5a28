package dev.nimbus.proxmox.client.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Minimal local proxies for tunnel tests: an HTTP CONNECT proxy and a SOCKS5 proxy (no auth). Each
 * records the targets it was asked to reach and relays bytes both ways.
 */
public final class RelayProxies {
  private RelayProxies() {}

  /** A running proxy. */
  public abstract static class Relay implements AutoCloseable {
    final ServerSocket server;
    final List<String> targets = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    Relay() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual()
          .start(
              () -> {
                while (!closed) {
                  try {
                    Socket client = server.accept();
                    Thread.ofVirtual().start(() -> handle(client));
                  } catch (IOException e) {
                    return;
                  }
                }
              });
    }

    public int port() {
      return server.getLocalPort();
    }

    /** The {@code host:port} targets clients asked for, in order. */
    public List<String> targets() {
      return List.copyOf(targets);
    }

    abstract void handle(Socket client);

    @Override
    public void close() throws IOException {
      closed = true;
      server.close();
    }
  }

  public static Relay httpConnect() throws IOException {
    return new Relay() {
      @Override
      void handle(Socket client) {
        try (client) {
          InputStream in = client.getInputStream();
          String first = null;
          for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            if (first == null) {
              first = line;
            }
          }
          String[] parts = first == null ? new String[0] : first.split(" ");
          if (parts.length < 2 || !parts[0].equals("CONNECT")) {
            client.getOutputStream().write("HTTP/1.1 405 Only CONNECT\r\n\r\n".getBytes());
            return;
          }
          targets.add(parts[1]);
          int colon = parts[1].lastIndexOf(':');
          try (Socket upstream =
              new Socket(
                  parts[1].substring(0, colon), Integer.parseInt(parts[1].substring(colon + 1)))) {
            client
                .getOutputStream()
                .write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes());
            relay(client, upstream);
          }
        } catch (IOException e) {
          // connection ended
        }
      }
    };
  }

  public static Relay socks5() throws IOException {
    return new Relay() {
      @Override
      void handle(Socket client) {
        try (client) {
          DataInputStream in = new DataInputStream(client.getInputStream());
          OutputStream out = client.getOutputStream();
          if (in.readUnsignedByte() != 5) {
            return;
          }
          in.readNBytes(in.readUnsignedByte());
          out.write(new byte[] {5, 0});
          in.readUnsignedByte();
          int command = in.readUnsignedByte();
          in.readUnsignedByte();
          int addressType = in.readUnsignedByte();
          String host =
              switch (addressType) {
                case 1 -> InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
                case 3 ->
                    new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
                case 4 -> InetAddress.getByAddress(in.readNBytes(16)).getHostAddress();
                default -> throw new IOException("bad address type");
              };
          int port = in.readUnsignedShort();
          if (command != 1) {
            out.write(new byte[] {5, 7, 0, 1, 0, 0, 0, 0, 0, 0});
            return;
          }
          targets.add(host + ":" + port);
          try (Socket upstream = new Socket(host, port)) {
            out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 0});
            relay(client, upstream);
          }
        } catch (IOException e) {
          // connection ended
        }
      }
    };
  }

  private static void relay(Socket a, Socket b) throws IOException {
    Thread back =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    b.getInputStream().transferTo(a.getOutputStream());
                  } catch (IOException e) {
                    // one side closed
                  } finally {
                    try {
                      a.shutdownOutput();
                    } catch (IOException e) {
                      // already closed
                    }
                  }
                });
    try {
      a.getInputStream().transferTo(b.getOutputStream());
    } catch (IOException e) {
      // one side closed
    }
    try {
      b.shutdownOutput();
    } catch (IOException e) {
      // already closed
    }
    try {
      back.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
  }
}
