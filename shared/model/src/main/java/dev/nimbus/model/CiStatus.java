package dev.nimbus.model;

/**
 * The lifecycle status of a configuration item, modelled on AWS Config's {@code
 * configurationItemStatus}, plus {@code UNREACHABLE} for a CI whose scope could not be read in the
 * last run (it is kept, never deleted, and recovers when seen again).
 */
public enum CiStatus {
  /** First seen in the last run. */
  RESOURCE_DISCOVERED,
  /** Seen before and seen again (possibly changed). */
  OK,
  /** Its scope was read completely and it was not there. */
  RESOURCE_DELETED,
  /** Its scope (for example an offline node) could not be read; its last known state is kept. */
  UNREACHABLE;

  /** True for statuses under which the resource is believed to exist. */
  public boolean isLive() {
    return this != RESOURCE_DELETED;
  }
}
