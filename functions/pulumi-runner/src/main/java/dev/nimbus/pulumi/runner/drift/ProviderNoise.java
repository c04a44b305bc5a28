package dev.nimbus.pulumi.runner.drift;

import dev.nimbus.deployments.drift.DriftClass;
import dev.nimbus.infra.ResourceKind;
import java.util.List;
import java.util.Optional;

/**
 * The documented ignore list: properties the bpg/proxmox provider (through the proxmoxve bridge)
 * reports as changed on a refresh or plan although nobody changed them. A difference made only of
 * these is {@link DriftClass#PROVIDER_NOISE}: reported, never stored or sent. Each entry names the
 * provider's own issue where the behaviour is described.
 */
public final class ProviderNoise {
  /** One ignored property (and everything under it) of one resource kind, with its reason. */
  public record Entry(ResourceKind kind, String path, String reason) {
    boolean covers(ResourceKind k, String propertyPath) {
      return kind == k
          && (propertyPath.equals(path)
              || propertyPath.startsWith(path + ".")
              || propertyPath.startsWith(path + "["));
    }
  }

  /** The list; the README's "Provider noise" table shows the same entries. */
  public static final List<Entry> ENTRIES =
      List.of(
          // bpg/terraform-provider-proxmox#2374: the guest agent's view (addresses, interface
          // names) is read on every refresh; elements "appear" as the agent reports more
          // interfaces, so these computed outputs differ from one refresh to the next.
          new Entry(
              ResourceKind.VM,
              "ipv4Addresses",
              "computed from the QEMU guest agent on every read; changes as interfaces come up"
                  + " (bpg/terraform-provider-proxmox#2374)"),
          new Entry(
              ResourceKind.VM,
              "ipv6Addresses",
              "computed from the QEMU guest agent on every read (bpg/terraform-provider-proxmox#2374)"),
          new Entry(
              ResourceKind.VM,
              "macAddresses",
              "computed list; new elements appear on refresh when the agent reports more"
                  + " interfaces (bpg/terraform-provider-proxmox#2374)"),
          new Entry(
              ResourceKind.VM,
              "networkInterfaceNames",
              "computed from the guest agent (bpg/terraform-provider-proxmox#2374)"),
          // bpg/terraform-provider-proxmox#1224: a clone's vga block is read back from the
          // template although the program never set it.
          new Entry(
              ResourceKind.VM,
              "vga",
              "a cloned VM reads its template's vga block back although the program never set"
                  + " it (bpg/terraform-provider-proxmox#1224)"),
          // bpg/terraform-provider-proxmox#1494: cpu.architecture shows an in-place update on
          // every plan.
          new Entry(
              ResourceKind.VM,
              "cpu.architecture",
              "reported as an in-place change on every plan although unchanged"
                  + " (bpg/terraform-provider-proxmox#1494)"),
          // bpg/terraform-provider-proxmox#1209 (fix of a regression): initialization.upgrade
          // differs between state and plan when it is not set.
          new Entry(
              ResourceKind.VM,
              "initialization.upgrade",
              "differs between state and plan when not set, and once forced a recreation"
                  + " (bpg/terraform-provider-proxmox#1209)"));

  private ProviderNoise() {}

  /** The entry that covers a property of a resource kind, if any. */
  public static Optional<Entry> of(ResourceKind kind, String propertyPath) {
    return ENTRIES.stream().filter(e -> e.covers(kind, propertyPath)).findFirst();
  }
}
