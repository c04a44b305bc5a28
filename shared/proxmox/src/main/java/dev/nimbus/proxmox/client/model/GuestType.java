package dev.nimbus.proxmox.client.model;

/** The two guest kinds of Proxmox VE and their API path segment. */
public enum GuestType {
  QEMU("qemu"),
  LXC("lxc");

  private final String segment;

  GuestType(String segment) {
    this.segment = segment;
  }

  /** {@code qemu} or {@code lxc}, as in paths and resource rows. */
  public String segment() {
    return segment;
  }
}
