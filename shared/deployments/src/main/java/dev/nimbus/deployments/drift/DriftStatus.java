package dev.nimbus.deployments.drift;

/** Whether a drift still holds at the last check that could see it. */
public enum DriftStatus {
  OPEN,
  RESOLVED
}
