package dev.nimbus.model;

import java.time.Instant;

/**
 * Who caused a change, when the provider knows: the user and the task (on Proxmox a UPID from the
 * cluster task log, for example a {@code qmconfig} by {@code alice@pve}). Any part may be null.
 */
public record Attribution(String user, String taskId, String taskType, Instant time) {
  /** Nobody known. */
  public static final Attribution UNKNOWN = new Attribution(null, null, null, null);

  public boolean isKnown() {
    return user != null || taskId != null;
  }
}
