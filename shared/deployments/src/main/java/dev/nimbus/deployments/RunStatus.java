package dev.nimbus.deployments;

/** Where a deployment run stands. */
public enum RunStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Another update of the stack held the backend's lock; nothing was changed. */
  REFUSED
}
