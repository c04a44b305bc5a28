package dev.nimbus.proxmox.client.model;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A task from {@code GET /cluster/tasks} or {@code /nodes/{node}/tasks}, with its UPID decoded.
 * {@code status} is {@code OK}, the error text of a failed task, or absent while running.
 */
public record Task(
    String upidText,
    Upid upid,
    String node,
    String type,
    String id,
    String user,
    String status,
    Instant starttime,
    Instant endtime,
    JsonNode raw) {

  public static Task from(JsonNode n) {
    String text = Lenient.text(n, "upid");
    Upid upid = Upid.tryParse(text);
    Long start = Lenient.longValue(n, "starttime");
    Long end = Lenient.longValue(n, "endtime");
    return new Task(
        text,
        upid,
        first(Lenient.text(n, "node"), upid == null ? null : upid.node()),
        first(Lenient.text(n, "type"), upid == null ? null : upid.type()),
        first(Lenient.text(n, "id"), upid == null ? null : upid.id()),
        first(Lenient.text(n, "user"), upid == null ? null : upid.user()),
        Lenient.text(n, "status"),
        start != null ? Instant.ofEpochSecond(start) : upid == null ? null : upid.starttime(),
        end == null ? null : Instant.ofEpochSecond(end),
        n);
  }

  /** True when the task finished with {@code OK}; false while running or after an error. */
  public boolean succeeded() {
    return "OK".equals(status);
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }
}
