package dev.nimbus.deployments.drift;

/**
 * What a difference between a stack and Proxmox means. Only {@link #MANAGED_FIELD_CHANGE} and
 * {@link #GONE} are alarms: the other classes are facts an operator wants listed, not paged for.
 */
public enum DriftClass {
  /** A property the program sets was changed outside Pulumi; the next up would undo it. */
  MANAGED_FIELD_CHANGE(true),
  /**
   * The guest runs on another node (migration by hand or by HA), same vmid. Not drift: the
   * provider's {@code nodeName} forces a replacement, so the program's node should be updated
   * instead of letting an up recreate the guest.
   */
  MOVE(false),
  /** A property the program does not set changed (CMDB or refresh only): informational. */
  UNMANAGED_FIELD_CHANGE(false),
  /** In the stack's state, deleted in Proxmox. */
  GONE(true),
  /** A CI of the connection that no stack manages: listed, not alarmed. */
  UNMANAGED(false),
  /**
   * Only properties of the documented ignore list ({@link ProviderNoise}) differ: reported in the
   * check's answer, never stored as drift and never sent as an event.
   */
  PROVIDER_NOISE(false);

  private final boolean alarm;

  DriftClass(boolean alarm) {
    this.alarm = alarm;
  }

  /** True for the classes that mean "Proxmox no longer matches what was deployed". */
  public boolean alarm() {
    return alarm;
  }
}
