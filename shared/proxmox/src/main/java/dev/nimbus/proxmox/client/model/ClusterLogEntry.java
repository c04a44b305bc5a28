package dev.nimbus.proxmox.client.model;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One line of {@code GET /cluster/log}, the cluster-wide log that pmxcfs keeps in memory. Every
 * QEMU config update writes one ({@code update VM 100: -memory 4096}), including the synchronous
 * {@code PUT} that leaves no task, so it is the only trace of many UI edits.
 *
 * <p>The schema declares the items as plain objects; pmxcfs fills {@code uid} (increasing per node,
 * not a global order), {@code time} (epoch seconds), {@code pri} (syslog priority, 6 = info),
 * {@code tag} ({@code pvedaemon}, {@code pveproxy}...), {@code pid}, {@code node}, {@code user}
 * ({@code user@realm}, or {@code user@realm!tokenid} for an API token) and {@code msg}. The
 * answer's order is not to be relied on: sort by {@code time} then {@code uid}.
 *
 * @param uid the entry's id, 0 when absent
 * @param time when it was written, or null when absent
 */
public record ClusterLogEntry(
    long uid,
    Instant time,
    String node,
    String user,
    String tag,
    Integer pid,
    Integer pri,
    String msg) {

  public static ClusterLogEntry from(JsonNode n) {
    Long uid = Lenient.longValue(n, "uid");
    Long time = Lenient.longValue(n, "time");
    return new ClusterLogEntry(
        uid == null ? 0 : uid,
        time == null ? null : Instant.ofEpochSecond(time),
        Lenient.text(n, "node"),
        Lenient.text(n, "user"),
        Lenient.text(n, "tag"),
        Lenient.intValue(n, "pid"),
        Lenient.intValue(n, "pri"),
        Lenient.text(n, "msg"));
  }
}
