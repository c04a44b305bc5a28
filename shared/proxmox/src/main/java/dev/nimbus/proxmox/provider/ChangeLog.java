package dev.nimbus.proxmox.provider;

import dev.nimbus.model.Attribution;
import dev.nimbus.model.PropertyChange;
import dev.nimbus.proxmox.client.model.ClusterLogEntry;
import dev.nimbus.proxmox.client.model.Task;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the cluster's task log and cluster log say happened to guests since the previous run, and
 * who did it. Only entries that can cause a change count:
 *
 * <ul>
 *   <li>config: the tasks that write a guest's config or move it ({@code qmconfig}, create, clone,
 *       restore, migrate, move a disk, resize, template, rollback, destroy) and the cluster log's
 *       {@code update VM <vmid>: -key value ...} lines, which every QEMU config update writes, also
 *       the synchronous {@code PUT} that creates no task (the web UI and {@code qm set} use it);
 *   <li>power: start, stop, shutdown, reboot, suspend, resume (HA's too).
 * </ul>
 *
 * Consoles ({@code vncproxy}, {@code spiceproxy}, {@code termproxy}), backups ({@code vzdump}),
 * agent commands and the like change nothing a CI holds: they neither trigger a re-read nor take
 * the credit for a change. A power task is credited with a config change only when the previous CI
 * had pending changes, which a restart applies.
 */
final class ChangeLog {
  static final Set<String> CONFIG_TASKS =
      Set.of(
          "qmconfig",
          "qmcreate",
          "vzcreate",
          "qmclone",
          "vzclone",
          "qmrestore",
          "vzrestore",
          "qmigrate",
          "vzmigrate",
          "hamigrate",
          "qmmove",
          "move_volume",
          "qmresize",
          "vzresize",
          "resize",
          "qmtemplate",
          "vztemplate",
          "qmrollback",
          "vzrollback",
          "qmdestroy",
          "vzdestroy");
  static final Set<String> POWER_TASKS =
      Set.of(
          "qmstart",
          "qmstop",
          "qmshutdown",
          "qmreboot",
          "qmsuspend",
          "qmresume",
          "qmpause",
          "vzstart",
          "vzstop",
          "vzshutdown",
          "vzreboot",
          "vzsuspend",
          "vzresume",
          "hastart",
          "hastop",
          "hashutdown");
  static final Set<String> DESTROY_TASKS = Set.of("qmdestroy", "vzdestroy");

  /** The attribute paths a start or stop changes by itself. */
  private static final Set<String> POWER_PATHS =
      Set.of("attributes.powerState", "attributes.ipAddresses", "attributes.haState");

  /** {@code update VM 101: -memory 8192 -cores 4}: qemu-server's cluster log line. */
  private static final Pattern UPDATE_VM = Pattern.compile("^update VM (\\d{1,9}):");

  private final Map<Integer, Attribution> config = new HashMap<>();
  private final Map<Integer, Attribution> power = new HashMap<>();
  private final Map<Integer, Attribution> destroyed = new HashMap<>();

  /** The guests touched since the previous run, from both logs. */
  Set<Integer> touched() {
    Set<Integer> out = new TreeSet<>(config.keySet());
    out.addAll(power.keySet());
    return out;
  }

  /** Who destroyed a guest since the previous run, if a task says so. */
  Attribution destroyedBy(int vmid) {
    return destroyed.get(vmid);
  }

  /**
   * Who made the changes between {@code before} and {@code after} of one guest: the latest power
   * task when only the power state (and what follows from it) changed, else the latest config task
   * or log line, else, if pending changes existed, the restart that applied them.
   */
  Attribution credit(int vmid, List<PropertyChange> changes, boolean hadPending, boolean isNew) {
    if (!isNew && changes.isEmpty()) {
      return null;
    }
    boolean powerOnly =
        !isNew && changes.stream().allMatch(c -> POWER_PATHS.contains(topLevel(c.path())));
    if (powerOnly) {
      return power.get(vmid);
    }
    Attribution who = config.get(vmid);
    if (who == null && hadPending) {
      who = power.get(vmid);
    }
    return who;
  }

  /** Takes the tasks newer than the cursor. */
  void addTasks(List<Task> tasks, long sinceEpochSecond, Set<String> seenAtCursor) {
    for (Task t : tasks) {
      Instant when = taskTime(t);
      if (when == null || !newer(when, sinceEpochSecond, seenAtCursor, t.upidText())) {
        continue;
      }
      Integer vmid = t.upid() != null ? t.upid().vmid() : parseVmid(t.id());
      if (vmid == null || t.type() == null) {
        continue;
      }
      Attribution who = new Attribution(t.user(), t.upidText(), t.type(), when);
      if (CONFIG_TASKS.contains(t.type())) {
        keepLatest(config, vmid, who);
      } else if (POWER_TASKS.contains(t.type())) {
        keepLatest(power, vmid, who);
      }
      if (DESTROY_TASKS.contains(t.type())) {
        keepLatest(destroyed, vmid, who);
      }
    }
  }

  /** Takes the cluster log's config update lines newer than the cursor. */
  void addLog(List<ClusterLogEntry> lines, long sinceEpochSecond, Set<String> seenAtCursor) {
    for (ClusterLogEntry line : sortedByTime(lines)) {
      if (line.time() == null
          || line.msg() == null
          || !newer(line.time(), sinceEpochSecond, seenAtCursor, logId(line))) {
        continue;
      }
      Matcher m = UPDATE_VM.matcher(line.msg());
      if (!m.find()) {
        continue;
      }
      keepLatest(
          config,
          Integer.parseInt(m.group(1)),
          new Attribution(line.user(), null, "config update (cluster log)", line.time()));
    }
  }

  /** The task cursor for the next run: the newest task second and the UPIDs of that second. */
  static Map.Entry<Long, Set<String>> taskCursor(List<Task> tasks, long previousSince) {
    long newest = previousSince;
    for (Task t : tasks) {
      Instant when = taskTime(t);
      if (when != null && when.getEpochSecond() > newest) {
        newest = when.getEpochSecond();
      }
    }
    Set<String> atNewest = new TreeSet<>();
    for (Task t : tasks) {
      Instant when = taskTime(t);
      if (when != null && when.getEpochSecond() == newest && t.upidText() != null) {
        atNewest.add(t.upidText());
      }
    }
    return Map.entry(newest, atNewest);
  }

  /** The cluster log cursor for the next run, like the task cursor. */
  static Map.Entry<Long, Set<String>> logCursor(List<ClusterLogEntry> lines, long previousSince) {
    long newest = previousSince;
    for (ClusterLogEntry l : lines) {
      if (l.time() != null && l.time().getEpochSecond() > newest) {
        newest = l.time().getEpochSecond();
      }
    }
    Set<String> atNewest = new TreeSet<>();
    for (ClusterLogEntry l : lines) {
      if (l.time() != null && l.time().getEpochSecond() == newest) {
        atNewest.add(logId(l));
      }
    }
    return Map.entry(newest, atNewest);
  }

  /**
   * Proxmox returns the cluster log merged from all nodes, not strictly in time order; sort by
   * time, then uid, as the API documentation asks.
   */
  private static List<ClusterLogEntry> sortedByTime(List<ClusterLogEntry> lines) {
    return lines.stream()
        .filter(l -> l.time() != null)
        .sorted(Comparator.comparing(ClusterLogEntry::time).thenComparingLong(ClusterLogEntry::uid))
        .toList();
  }

  static String logId(ClusterLogEntry l) {
    return (l.node() == null ? "" : l.node()) + ":" + l.uid();
  }

  private static boolean newer(Instant when, long since, Set<String> seenAtCursor, String id) {
    long s = when.getEpochSecond();
    // Entries of the cursor's own second were seen by the last run unless their id is new.
    return s > since || (s == since && id != null && !seenAtCursor.contains(id));
  }

  private static void keepLatest(Map<Integer, Attribution> map, int vmid, Attribution who) {
    Attribution seen = map.get(vmid);
    if (seen == null || !who.time().isBefore(seen.time())) {
      map.put(vmid, who);
    }
  }

  /** When a task last touched its guest: its end, or its start while it still runs. */
  static Instant taskTime(Task t) {
    return t.endtime() != null ? t.endtime() : t.starttime();
  }

  private static String topLevel(String path) {
    int first = path.indexOf('.');
    if (first < 0) {
      return path;
    }
    int second = path.indexOf('.', first + 1);
    int bracket = path.indexOf('[', first + 1);
    int end = second < 0 ? bracket : bracket < 0 ? second : Math.min(second, bracket);
    return end < 0 ? path : path.substring(0, end);
  }

  private static Integer parseVmid(String id) {
    if (id == null || id.isEmpty() || !id.chars().allMatch(Character::isDigit) || id.length() > 9) {
      return null;
    }
    return Integer.valueOf(id);
  }
}
