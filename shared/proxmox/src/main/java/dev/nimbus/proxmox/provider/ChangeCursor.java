package dev.nimbus.proxmox.provider;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one discovery run hands the next, kept in the snapshot's provider state: the run number
 * (which drives the rotating sweep), where the task log and the cluster log were read up to, what
 * the last permission check said about {@code Sys.Syslog}, and whether the next run must re-read
 * every guest because this one read guests while a list they depend on could not be read.
 *
 * <p>Both logs are read by time in whole seconds; the entries of the cursor's own second that were
 * already seen are remembered by id, so an entry of that second that arrives late is still taken.
 *
 * @param run the number of this run, 0 for the first
 * @param tasksSince epoch second of the newest task seen, -1 before the first run
 * @param tasksAtCursor UPIDs of the tasks of second {@code tasksSince}
 * @param logSince epoch second of the newest cluster log line seen, -1 when never read
 * @param logAtCursor ids ({@code node:uid}) of the lines of second {@code logSince}
 * @param syslog whether the token holds {@code Sys.Syslog} on {@code /}; null when unknown
 * @param syslogCheckedRun the run that last checked {@code syslog}, -1 never
 * @param rereadAll the next run re-reads every guest once
 */
record ChangeCursor(
    long run,
    long tasksSince,
    Set<String> tasksAtCursor,
    long logSince,
    Set<String> logAtCursor,
    Boolean syslog,
    long syslogCheckedRun,
    boolean rereadAll) {
  static final String RUN = "run";
  static final String TASKS_SINCE = "tasksSince";
  static final String TASKS_AT_CURSOR = "tasksAtCursor";
  static final String LOG_SINCE = "clusterLogSince";
  static final String LOG_AT_CURSOR = "clusterLogAtCursor";
  static final String SYSLOG = "capability.fastChangeDetection";
  static final String SYSLOG_CHECKED = "capability.checkedRun";
  static final String REREAD_ALL = "rereadAllGuests";

  ChangeCursor {
    tasksAtCursor = Set.copyOf(tasksAtCursor);
    logAtCursor = Set.copyOf(logAtCursor);
  }

  /** The cursor the previous run left; a missing or garbled value starts that part afresh. */
  static ChangeCursor from(Map<String, String> state) {
    String syslog = state.get(SYSLOG);
    return new ChangeCursor(
        parseLong(state.get(RUN), -1),
        parseLong(state.get(TASKS_SINCE), -1),
        split(state.get(TASKS_AT_CURSOR)),
        parseLong(state.get(LOG_SINCE), -1),
        split(state.get(LOG_AT_CURSOR)),
        syslog == null ? null : syslog.startsWith("present"),
        parseLong(state.get(SYSLOG_CHECKED), -1),
        "true".equals(state.get(REREAD_ALL)));
  }

  SortedMap<String, String> toState() {
    SortedMap<String, String> out = new TreeMap<>();
    out.put(RUN, Long.toString(run));
    out.put(TASKS_SINCE, Long.toString(tasksSince));
    out.put(TASKS_AT_CURSOR, String.join(",", new TreeSet<>(tasksAtCursor)));
    if (logSince >= 0) {
      out.put(LOG_SINCE, Long.toString(logSince));
      out.put(LOG_AT_CURSOR, String.join(",", new TreeSet<>(logAtCursor)));
    }
    if (syslog != null) {
      // Recorded once per check, not as a problem: without it discovery still finds every edit,
      // only later (row changes, tasks and the sweep).
      out.put(
          SYSLOG,
          syslog
              ? "present (Sys.Syslog on /)"
              : "absent (grant Sys.Syslog on / to see config edits by others within one run)");
      out.put(SYSLOG_CHECKED, Long.toString(syslogCheckedRun));
    }
    if (rereadAll) {
      out.put(REREAD_ALL, "true");
    }
    return out;
  }

  private static Set<String> split(String joined) {
    return joined == null || joined.isEmpty() ? Set.of() : Set.of(joined.split(","));
  }

  private static long parseLong(String s, long fallback) {
    if (s == null) {
      return fallback;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
