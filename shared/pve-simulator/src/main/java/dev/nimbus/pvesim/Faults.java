package dev.nimbus.pvesim;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fault switches a test flips at run time: added latency per request (a tunnel's round trip), an
 * HTTP 5xx error rate, connection resets mid-response and slow (trickled) responses. Error rate,
 * resets and slow responses may be limited to paths starting with a prefix. Offline nodes are
 * switched with {@link Admin#setNodeOnline}. All switches are thread-safe.
 */
public final class Faults {
  private volatile Duration latency = Duration.ZERO;
  private volatile double errorRate;
  private volatile int errorStatus = 500;
  private volatile double resetRate;
  private volatile Duration slowChunkDelay = Duration.ZERO;
  private volatile String pathPrefix;
  private volatile int offlineStatus = 595;

  /** Adds this much latency before every request is answered. */
  public Faults latency(Duration latency) {
    this.latency = Objects.requireNonNull(latency);
    return this;
  }

  public Duration latency() {
    return latency;
  }

  /** Answers this fraction (0..1) of requests with HTTP 500. */
  public Faults errorRate(double rate) {
    return errorRate(rate, 500);
  }

  /** Answers this fraction (0..1) of requests with the given 5xx status. */
  public Faults errorRate(double rate, int status) {
    if (rate < 0 || rate > 1 || status < 500 || status > 599) {
      throw new IllegalArgumentException("rate must be 0..1 and status 5xx");
    }
    this.errorRate = rate;
    this.errorStatus = status;
    return this;
  }

  /** Cuts this fraction (0..1) of responses in the middle of the body with a TCP reset. */
  public Faults resetRate(double rate) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("rate must be 0..1");
    }
    this.resetRate = rate;
    return this;
  }

  /**
   * Trickles response bodies in 256-byte chunks with this delay between chunks; zero turns it off.
   */
  public Faults slowResponses(Duration delayPerChunk) {
    this.slowChunkDelay = Objects.requireNonNull(delayPerChunk);
    return this;
  }

  /**
   * Limits error rate, resets and slow responses to API paths starting with the prefix; null for
   * all.
   */
  public Faults onlyPaths(String prefix) {
    this.pathPrefix = prefix;
    return this;
  }

  /**
   * The status an offline node's proxied paths answer: 595 (connect failed, the default) or 596
   * (timed out / TLS errors), like pveproxy's AnyEvent::HTTP pseudo-codes.
   */
  public Faults offlineStatus(int status) {
    if (status != 595 && status != 596) {
      throw new IllegalArgumentException("offline status is 595 or 596");
    }
    this.offlineStatus = status;
    return this;
  }

  /** Turns every fault off (offline nodes stay as they are). */
  public Faults clear() {
    latency = Duration.ZERO;
    errorRate = 0;
    errorStatus = 500;
    resetRate = 0;
    slowChunkDelay = Duration.ZERO;
    pathPrefix = null;
    offlineStatus = 595;
    return this;
  }

  int offlineStatus() {
    return offlineStatus;
  }

  private boolean applies(String path) {
    String p = pathPrefix;
    return p == null || path.startsWith(p);
  }

  boolean injectError(String path) {
    double r = errorRate;
    return r > 0 && applies(path) && ThreadLocalRandom.current().nextDouble() < r;
  }

  int errorStatus() {
    return errorStatus;
  }

  boolean injectReset(String path) {
    double r = resetRate;
    return r > 0 && applies(path) && ThreadLocalRandom.current().nextDouble() < r;
  }

  Duration slowDelay(String path) {
    Duration d = slowChunkDelay;
    return d.isZero() || !applies(path) ? Duration.ZERO : d;
  }
}
