package dev.nimbus.proxmox.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;

/**
 * Bounds the calls in flight and keeps every connection they use alive.
 *
 * <p>{@code HttpURLConnection} pools keep-alive connections per (host, port, socket factory) and
 * keeps at most {@code http.maxConnections} of them idle, 5 by default, closing the rest as they
 * come back. With 16 calls in flight that closed most connections after one call, and every new one
 * paid a TLS handshake, which costs both sides far more CPU than a call (the benchmark counted 7
 * handshakes per 100 calls). The property is JVM-wide and read once, at the first pooled connection
 * (often the AWS SDK's), so setting it from here would be a race. Instead each slot of the
 * concurrency bound belongs to a lane, and each lane has its own socket factory, hence its own
 * pool: no lane has more calls in flight than the JDK keeps idle, so no connection is dropped. The
 * lanes share one {@code SSLContext}, so they also share its TLS session cache.
 */
final class ConnectionLanes {
  /** Idle connections the JDK keeps per pool key: {@code http.maxConnections}, default 5. */
  static final int IDLE_PER_POOL = idlePerPool();

  private final BlockingQueue<Slot> free;
  private final int laneCount;

  /** One slot of the concurrency bound, with the socket factory of its lane. */
  record Slot(int index, SSLSocketFactory socketFactory) {}

  ConnectionLanes(SSLSocketFactory base, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    this.laneCount = (maxInFlight + IDLE_PER_POOL - 1) / IDLE_PER_POOL;
    SSLSocketFactory[] factories = new SSLSocketFactory[laneCount];
    for (int i = 0; i < laneCount; i++) {
      // A distinct object per lane: the JDK's pool compares socket factories by identity.
      factories[i] = laneCount == 1 ? base : new LaneSocketFactory(base);
    }
    // Fair: callers waiting for a slot are served in order, as the semaphore before it did.
    this.free = new ArrayBlockingQueue<>(maxInFlight, true);
    for (int i = 0; i < maxInFlight; i++) {
      free.add(new Slot(i, factories[i / IDLE_PER_POOL]));
    }
  }

  int laneCount() {
    return laneCount;
  }

  /** A free slot, or null if none came free within {@code wait}. */
  Slot acquire(Duration wait) throws InterruptedException {
    return free.poll(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
  }

  void release(Slot slot) {
    free.add(slot);
  }

  private static int idlePerPool() {
    // Read as the JDK reads it (sun.net.www.http.KeepAliveCache): a value below 1 means 5.
    int configured = Integer.getInteger("http.maxConnections", 5);
    return configured < 1 ? 5 : configured;
  }

  /** Delegates everything; exists only to be a pool key of its own. */
  private static final class LaneSocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory base;

    LaneSocketFactory(SSLSocketFactory base) {
      this.base = base;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return base.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return base.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
      return base.createSocket();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      return base.createSocket(s, host, port, autoClose);
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose)
        throws IOException {
      return base.createSocket(s, consumed, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return base.createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return base.createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return base.createSocket(host, port);
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return base.createSocket(address, port, localAddress, localPort);
    }
  }
}
