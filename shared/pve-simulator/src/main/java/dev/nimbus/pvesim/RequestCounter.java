package dev.nimbus.pvesim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts API requests, in total and per path (without {@code /api2/json} and query), and completed
 * TLS handshakes: a client that does not keep its connections alive pays one handshake per request,
 * which costs both sides far more CPU than the request itself.
 */
final class RequestCounter {
  private final LongAdder total = new LongAdder();
  private final LongAdder handshakes = new LongAdder();
  private final Map<String, LongAdder> perPath = new ConcurrentHashMap<>();

  void record(String path) {
    total.increment();
    perPath.computeIfAbsent(path, p -> new LongAdder()).increment();
  }

  void recordHandshake() {
    handshakes.increment();
  }

  long handshakes() {
    return handshakes.sum();
  }

  long total() {
    return total.sum();
  }

  long count(String path) {
    LongAdder a = perPath.get(path);
    return a == null ? 0 : a.sum();
  }

  Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    perPath.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  void reset() {
    total.reset();
    handshakes.reset();
    perPath.clear();
  }
}
