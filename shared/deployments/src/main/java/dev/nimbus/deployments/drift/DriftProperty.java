package dev.nimbus.deployments.drift;

/**
 * One property involved in a drift: its path (the provider's property path such as {@code
 * memory.dedicated} when the engine reported it, the CI's path such as {@code attributes.onBoot}
 * when only the CMDB did), the value Pulumi last knew ({@code previous}: the stack's state) and the
 * value Proxmox has now ({@code current}), whether the program sets it, and where it was seen
 * ({@code engine} or {@code cmdb}). Values are JSON-compatible (strings, numbers, booleans, lists,
 * maps) or null.
 */
public record DriftProperty(
    String path, Object previous, Object current, boolean managed, String source) {
  public static final String ENGINE = "engine";
  public static final String CMDB = "cmdb";

  /** Values normalized (whole numbers as long, maps sorted), so a stored one reads back equal. */
  public DriftProperty {
    previous = DriftValues.normalize(previous);
    current = DriftValues.normalize(current);
  }
}
