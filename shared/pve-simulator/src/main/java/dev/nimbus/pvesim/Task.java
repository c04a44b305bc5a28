package dev.nimbus.pvesim;

import java.util.Locale;

/**
 * A finished task as {@code /cluster/tasks} lists it. The UPID encodes node, pid, pstart, starttime
 * (hex), type, id and user, exactly like Proxmox.
 */
public record Task(
    String node,
    long pid,
    long pstart,
    long starttime,
    long endtime,
    String type,
    String id,
    String user) {

  public String upid() {
    return String.format(
        Locale.ROOT,
        "UPID:%s:%08X:%08X:%08X:%s:%s:%s:",
        node,
        pid,
        pstart,
        starttime,
        type,
        id,
        user);
  }
}
