package dev.nimbus.reliability;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The table-fault rows of the report, from {@code dev.nimbus.reliability.TableFaultCampaign} (the
 * fault-injecting proxy between the functions and the emulator, built on its own branch): its
 * {@code run(int runsPerFault)} returns one record per fault kind. The campaign is called by name
 * and its rows read by their component names, so this command builds and runs (saying so in the
 * report) before that class lands, and does not break when a column is added to it.
 */
final class TableFaults {
  static final String CAMPAIGN = "dev.nimbus.reliability.TableFaultCampaign";

  /** The columns whose target is 0. */
  static final List<String> TARGETS =
      List.of(
          "cisLost",
          "falseDeletes",
          "falseRewrites",
          "historyGaps",
          "eventsLost",
          "eventsDoubled",
          "halfWritten",
          "wrongAnswers");

  /**
   * One fault kind: runs, and the counts by canonical name ({@code cisLost}, {@code falseDeletes},
   * {@code falseRewrites}, {@code historyGaps}, {@code eventsLost}, {@code eventsDoubled}, {@code
   * injected}); {@code other} keeps numeric columns not recognised, by their own name.
   */
  record Row(String kind, long runs, Map<String, Long> counts, Map<String, Long> other) {
    Optional<Long> value(String name) {
      return Optional.ofNullable(counts.get(name));
    }

    /** 0 of every loss, false delete or rewrite, history gap and event lost or doubled. */
    boolean targetsMet() {
      return runs > 0 && TARGETS.stream().allMatch(k -> counts.getOrDefault(k, 0L) == 0);
    }

    String injectedNote() {
      List<String> parts = new ArrayList<>();
      value("injected").ifPresent(n -> parts.add(n + " injected"));
      value("historyGaps").ifPresent(n -> parts.add("history gaps or duplicates " + n));
      value("halfWritten").ifPresent(n -> parts.add("half-written items " + n));
      value("wrongAnswers").ifPresent(n -> parts.add("wrong answers " + n));
      other.forEach((k, v) -> parts.add(k + " " + v));
      return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }
  }

  /** The rows, or empty when the campaign class is not on the class path. */
  static Optional<List<Row>> run(int runsPerFault) {
    Class<?> campaign;
    try {
      campaign = Class.forName(CAMPAIGN);
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
    try {
      Method run = campaign.getMethod("run", int.class);
      Object target = null;
      if (!Modifier.isStatic(run.getModifiers())) {
        target = campaign.getDeclaredConstructor().newInstance();
      }
      try {
        return Optional.of(rows(run.invoke(target, runsPerFault)));
      } finally {
        if (target instanceof AutoCloseable c) {
          c.close();
        }
      }
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(CAMPAIGN + ".run failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(CAMPAIGN + " cannot be called: " + e, e);
    }
  }

  /** Reads the campaign's answer: an iterable of records, or an object with {@code rows()}. */
  static List<Row> rows(Object result) throws ReflectiveOperationException {
    Iterable<?> items;
    if (result instanceof Iterable<?> it) {
      items = it;
    } else {
      Object rows = result.getClass().getMethod("rows").invoke(result);
      if (!(rows instanceof Iterable<?> it)) {
        throw new IllegalStateException("rows() of " + result.getClass() + " is not iterable");
      }
      items = it;
    }
    List<Row> out = new ArrayList<>();
    for (Object item : items) {
      out.add(row(item));
    }
    return out;
  }

  static Row row(Object record) throws ReflectiveOperationException {
    if (!record.getClass().isRecord()) {
      throw new IllegalStateException(record.getClass() + " is not a record");
    }
    String[] kind = new String[1];
    long[] runs = new long[1];
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, Long> other = new LinkedHashMap<>();
    read(record, kind, runs, counts, other);
    return new Row(kind[0] == null ? "?" : kind[0], runs[0], counts, other);
  }

  /** The components of a record, and of the records in it (a kind and its tally, say). */
  private static void read(
      Object record, String[] kind, long[] runs, Map<String, Long> counts, Map<String, Long> other)
      throws ReflectiveOperationException {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      c.getAccessor().setAccessible(true);
      Object v = c.getAccessor().invoke(record);
      String name = c.getName();
      if (v instanceof Number n) {
        String canonical = canonical(name);
        if (canonical == null) {
          other.put(name, n.longValue());
        } else if (canonical.equals("runs")) {
          runs[0] += n.longValue();
        } else {
          counts.merge(canonical, n.longValue(), Long::sum);
        }
      } else if (v != null && v.getClass().isRecord()) {
        read(v, kind, runs, counts, other);
      } else if (kind[0] == null && (v instanceof CharSequence || v instanceof Enum<?>)) {
        kind[0] = String.valueOf(v);
      }
    }
  }

  /** The canonical name of a column, by the words in its name; null when not recognised. */
  static String canonical(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("runs") || n.equals("runsperfault") || n.equals("runcount")) {
      return "runs";
    }
    if (n.contains("inject")) {
      return "injected";
    }
    if (n.contains("event")) {
      if (n.contains("lost") || n.contains("missing")) {
        return "eventsLost";
      }
      if (n.contains("doubl") || n.contains("dup")) {
        return "eventsDoubled";
      }
      return null;
    }
    if (n.contains("histor") || n.contains("gap")) {
      return "historyGaps";
    }
    if (n.contains("delet")) {
      return "falseDeletes";
    }
    if (n.contains("rewrit")) {
      return "falseRewrites";
    }
    if (n.contains("lost")) {
      return "cisLost";
    }
    if (n.contains("half")) {
      return "halfWritten";
    }
    if (n.contains("wrong")) {
      return "wrongAnswers";
    }
    return null;
  }
}
