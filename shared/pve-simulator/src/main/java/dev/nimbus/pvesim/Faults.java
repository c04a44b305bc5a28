package dev.nimbus.pvesim;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Fault switches a test flips at run time: added latency per request (a tunnel's round trip), an
 * HTTP 5xx error rate, connection resets mid-response and slow (trickled) responses. Error rate,
 * resets and slow responses may be limited to paths starting with a prefix. Offline nodes are
 * switched with {@link Admin#setNodeOnline}. All switches are thread-safe.
 *
 * <p>Per-path faults ({@link #onPath}, {@link #onPathMatching}) are deterministic: every request
 * whose API path matches answers with the given {@link FaultKind} until {@link #clearPathFaults()}
 * or {@link #clear()}, whatever its method and credentials, like a broken proxy in front of
 * pveproxy. When several rules match, the one added last wins.
 */
public final class Faults {
  /** Default size of an {@link FaultKind#OVERSIZED_BODY}: above the client's 64 MiB default cap. */
  public static final long DEFAULT_OVERSIZED_BODY_BYTES = 72L * 1024 * 1024;

  private record PathRule(String exact, Pattern regex, FaultKind kind) {
    boolean matches(String path) {
      return exact != null ? exact.equals(path) : regex.matcher(path).matches();
    }
  }

  private final List<PathRule> pathRules = new CopyOnWriteArrayList<>();
  private final Map<FaultKind, AtomicLong> injected = new EnumMap<>(FaultKind.class);
  private volatile long oversizedBodyBytes = DEFAULT_OVERSIZED_BODY_BYTES;
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

  /**
   * Answers every request for exactly this API path (after {@code /api2/json}, without the query,
   * e.g. {@code /storage} or {@code /nodes/pve1/network}) with {@code kind}, until cleared.
   * Replaces an earlier rule for the same path.
   */
  public Faults onPath(String path, FaultKind kind) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("API paths start with /, e.g. /storage");
    }
    pathRules.removeIf(r -> path.equals(r.exact()));
    pathRules.add(new PathRule(path, null, kind));
    return this;
  }

  /**
   * Answers every request whose whole API path matches the regular expression (e.g. {@code
   * /nodes/[^/]+/network} or {@code /cluster/firewall/.*}) with {@code kind}, until cleared.
   */
  public Faults onPathMatching(String regex, FaultKind kind) {
    Objects.requireNonNull(kind, "kind");
    pathRules.add(new PathRule(null, Pattern.compile(regex), kind));
    return this;
  }

  /** Removes every per-path fault; the other switches stay. */
  public Faults clearPathFaults() {
    pathRules.clear();
    return this;
  }

  /** The size of an {@link FaultKind#OVERSIZED_BODY} body in bytes (at least 64). */
  public Faults oversizedBodyBytes(long bytes) {
    if (bytes < 64) {
      throw new IllegalArgumentException("an oversized body has at least 64 bytes");
    }
    this.oversizedBodyBytes = bytes;
    return this;
  }

  public long oversizedBodyBytes() {
    return oversizedBodyBytes;
  }

  /**
   * How many requests a per-path fault of this kind has answered since the start (not reset by
   * {@link #clear()}), so a test can prove its fault was actually hit.
   */
  public long injected(FaultKind kind) {
    synchronized (injected) {
      AtomicLong n = injected.get(kind);
      return n == null ? 0 : n.get();
    }
  }

  /** Requests answered by any per-path fault since the start. */
  public long injected() {
    synchronized (injected) {
      return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }
  }

  /** Turns every fault off, per-path faults included (offline nodes stay as they are). */
  public Faults clear() {
    pathRules.clear();
    oversizedBodyBytes = DEFAULT_OVERSIZED_BODY_BYTES;
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

  /** The per-path fault for this API path (last matching rule), counted as injected; or null. */
  FaultKind pathFault(String path) {
    PathRule[] rules = pathRules.toArray(PathRule[]::new);
    for (int i = rules.length - 1; i >= 0; i--) {
      PathRule rule = rules[i];
      if (rule.matches(path)) {
        synchronized (injected) {
          injected.computeIfAbsent(rule.kind(), k -> new AtomicLong()).incrementAndGet();
        }
        return rule.kind();
      }
    }
    return null;
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
