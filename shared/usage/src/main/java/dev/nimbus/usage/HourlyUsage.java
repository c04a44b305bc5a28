package dev.nimbus.usage;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.UsageSlice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One CI's usage in one UTC hour: the totals and the parts of the hour they cover ({@code
 * coverage}, sorted, disjoint {@code [from, to)} epoch-second intervals). Coverage is what makes
 * re-sampling idempotent: a slice already covered adds nothing.
 */
public record HourlyUsage(
    ConnectionRef connection,
    String nativeKey,
    Instant hour,
    List<Interval> coverage,
    UsageTotals totals) {

  /** {@code [from, to)} in epoch seconds. */
  public record Interval(long from, long to) {
    boolean contains(Interval o) {
      return from <= o.from && o.to <= to;
    }

    public long length() {
      return to - from;
    }

    boolean overlaps(Interval o) {
      return from < o.to && o.from < to;
    }
  }

  public HourlyUsage {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(nativeKey, "nativeKey");
    Objects.requireNonNull(hour, "hour");
    coverage = List.copyOf(coverage);
    Objects.requireNonNull(totals, "totals");
  }

  public static HourlyUsage empty(ConnectionRef connection, String nativeKey, Instant hour) {
    return new HourlyUsage(connection, nativeKey, hour, List.of(), UsageTotals.ZERO);
  }

  public long coveredSeconds() {
    return coverage.stream().mapToLong(i -> i.to - i.from).sum();
  }

  /** What merging a slice did. */
  public enum Merge {
    ADDED,
    ALREADY_COVERED,
    REPLACED,
    OVERLAP_IGNORED
  }

  public record Merged(HourlyUsage usage, Merge outcome) {}

  /**
   * Adds a slice of the same CI and hour: a slice inside the coverage adds nothing (re-sampled); a
   * disjoint one is added; one that covers everything covered so far and more replaces it (a
   * backfill of the whole hour); a partial overlap is ignored (its sums cannot be split).
   */
  public Merged merge(UsageSlice slice) {
    if (!slice.nativeKey().equals(nativeKey) || !slice.hour().equals(hour)) {
      throw new IllegalArgumentException("slice of another CI or hour");
    }
    return merge(
        new Interval(slice.from().getEpochSecond(), slice.to().getEpochSecond()),
        UsageTotals.of(slice));
  }

  /** {@link #merge(UsageSlice)} for totals covering one interval of this hour. */
  public Merged merge(Interval s, UsageTotals added) {
    if (s.to <= s.from) {
      return new Merged(this, Merge.ALREADY_COVERED);
    }
    boolean overlaps = false;
    boolean containsAll = true;
    for (Interval c : coverage) {
      if (c.contains(s)) {
        return new Merged(this, Merge.ALREADY_COVERED);
      }
      overlaps |= c.overlaps(s);
      containsAll &= s.contains(c);
    }
    if (!overlaps) {
      List<Interval> joined = new ArrayList<>(coverage);
      joined.add(s);
      return new Merged(
          new HourlyUsage(connection, nativeKey, hour, normalise(joined), totals.plus(added)),
          Merge.ADDED);
    }
    if (containsAll) {
      return new Merged(
          new HourlyUsage(connection, nativeKey, hour, List.of(s), added), Merge.REPLACED);
    }
    return new Merged(this, Merge.OVERLAP_IGNORED);
  }

  /** Sorted, with touching intervals joined. */
  static List<Interval> normalise(List<Interval> in) {
    List<Interval> sorted = new ArrayList<>(in);
    sorted.sort(Comparator.comparingLong(Interval::from));
    List<Interval> out = new ArrayList<>();
    for (Interval i : sorted) {
      if (!out.isEmpty() && out.getLast().to >= i.from) {
        Interval last = out.removeLast();
        out.add(new Interval(last.from, Math.max(last.to, i.to)));
      } else {
        out.add(i);
      }
    }
    return out;
  }
}
