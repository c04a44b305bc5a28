package dev.nimbus.proxmox.client.model;

import tools.jackson.databind.JsonNode;

/** {@code GET /nodes/{node}/tasks/{upid}/status}: running or stopped, and the exit status. */
public record TaskStatus(
    String upidText, Upid upid, String status, String exitstatus, JsonNode raw) {

  public static TaskStatus from(JsonNode n) {
    String text = Lenient.text(n, "upid");
    return new TaskStatus(
        text, Upid.tryParse(text), Lenient.text(n, "status"), Lenient.text(n, "exitstatus"), n);
  }

  public boolean isRunning() {
    return "running".equals(status);
  }

  /** True when stopped with exit status {@code OK}. */
  public boolean succeeded() {
    return "stopped".equals(status) && "OK".equals(exitstatus);
  }
}
