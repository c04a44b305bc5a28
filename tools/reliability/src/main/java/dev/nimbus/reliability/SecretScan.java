package dev.nimbus.reliability;

import dev.nimbus.testing.badinput.SecretLedger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scans outputs for the secrets of a {@link SecretLedger} and counts, per kind of output (HTTP
 * answers, log lines, table items, ...), how many texts were scanned and how many secrets found.
 * Every scanned text counts, so a scan that saw nothing shows 0 scanned rather than a clean result.
 */
final class SecretScan {
  /** One kind of output: texts and characters scanned, secrets found, and a few examples. */
  record Output(String name, long texts, long characters, long found, List<String> where) {}

  private final SecretLedger secrets;
  private final Map<String, long[]> counts = new LinkedHashMap<>();
  private final Map<String, List<String>> where = new LinkedHashMap<>();

  SecretScan(SecretLedger secrets) {
    this.secrets = secrets;
  }

  /** Scans one text of the output {@code output}; {@code label} says where a finding was. */
  synchronized void scan(String output, String label, String text) {
    long[] c = counts.computeIfAbsent(output, k -> new long[3]);
    c[0]++;
    c[1] += text == null ? 0 : text.length();
    int found = secrets.found(text).size();
    c[2] += found;
    if (found > 0) {
      List<String> w = where.computeIfAbsent(output, k -> new ArrayList<>());
      if (w.size() < 5) {
        // Where, never the secret itself: this list ends up in a report.
        w.add(label);
      }
    }
  }

  /** The outputs in the order first scanned. */
  synchronized List<Output> outputs() {
    List<Output> out = new ArrayList<>();
    counts.forEach(
        (name, c) ->
            out.add(
                new Output(
                    name, c[0], c[1], c[2], List.copyOf(where.getOrDefault(name, List.of())))));
    return out;
  }

  /** Secrets found in all outputs. */
  synchronized long found() {
    return counts.values().stream().mapToLong(c -> c[2]).sum();
  }
}
