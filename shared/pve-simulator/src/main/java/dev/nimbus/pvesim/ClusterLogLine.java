package dev.nimbus.pvesim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the cluster log pmxcfs keeps in memory and {@code GET /cluster/log} returns. {@code
 * uid} counts per node (lines of different nodes are not ordered by it), {@code time} is epoch
 * seconds, {@code pri} a syslog priority (6 = info), {@code tag} the daemon that wrote it, {@code
 * user} the acting user or token ({@code user@realm!tokenid}).
 */
public record ClusterLogLine(
    long uid, long time, int pri, String tag, long pid, String node, String user, String msg) {

  /** The JSON row, fields in the order pmxcfs writes them. */
  Map<String, Object> row() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("uid", uid);
    r.put("time", time);
    r.put("pri", pri);
    r.put("tag", tag);
    r.put("pid", pid);
    r.put("node", node);
    r.put("user", user);
    r.put("msg", msg);
    return r;
  }
}
