package dev.nimbus.pvesim;

/** The two guest kinds Proxmox VE runs: QEMU virtual machines and LXC containers. */
public enum GuestType {
  QEMU("qemu"),
  LXC("lxc");

  private final String apiName;

  GuestType(String apiName) {
    this.apiName = apiName;
  }

  /** The name used in API paths and in {@code /cluster/resources} {@code type}. */
  public String apiName() {
    return apiName;
  }

  public static GuestType fromApiName(String name) {
    return switch (name) {
      case "qemu" -> QEMU;
      case "lxc" -> LXC;
      default -> throw new IllegalArgumentException("Unknown guest type " + name);
    };
  }
}
