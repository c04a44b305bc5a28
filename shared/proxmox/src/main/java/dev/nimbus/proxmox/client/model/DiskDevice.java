package dev.nimbus.proxmox.client.model;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A guest disk, CD drive, LXC rootfs or mount point parsed from its property string: {@code
 * local-lvm:vm-101-disk-0,size=32G,iothread=1}, {@code none,media=cdrom}, {@code
 * /mnt/foo/bar,mp=/storage}. The volume is positional; {@code storage} is the part before the colon
 * (null for bind mounts and empty drives). Unknown keys are kept.
 */
public record DiskDevice(
    String volume,
    String storage,
    String size,
    Long sizeBytes,
    String media,
    String mountPoint,
    String format,
    Map<String, String> unknown,
    PropertyString source) {

  private static final Set<String> KNOWN =
      Set.of("file", "volume", "size", "media", "mp", "format");

  public static DiskDevice parse(String text) {
    PropertyString ps = PropertyString.parse(text, "file");
    String volume = ps.has("volume") ? ps.get("volume") : ps.get("file");
    String storage = null;
    if (volume != null && !volume.startsWith("/") && volume.indexOf(':') > 0) {
      storage = volume.substring(0, volume.indexOf(':'));
    }
    String size = ps.get("size");
    return new DiskDevice(
        volume,
        storage,
        size,
        sizeBytes(size),
        ps.get("media"),
        ps.get("mp"),
        ps.get("format"),
        ps.without(KNOWN),
        ps);
  }

  /** True for CD/DVD drives ({@code media=cdrom}), which are not storage. */
  public boolean isCdrom() {
    return "cdrom".equals(media);
  }

  /** The property string as Proxmox wrote it. */
  public String format() {
    return source.format();
  }

  /** Parses a Proxmox disk size ({@code 512}, {@code 4M}, {@code 32G}, {@code 1.5T}) to bytes. */
  public static Long sizeBytes(String size) {
    if (size == null || size.isBlank()) {
      return null;
    }
    String s = size.trim().toUpperCase(Locale.ROOT);
    char unit = s.charAt(s.length() - 1);
    long factor =
        switch (unit) {
          case 'K' -> 1L << 10;
          case 'M' -> 1L << 20;
          case 'G' -> 1L << 30;
          case 'T' -> 1L << 40;
          default -> 1L;
        };
    String number = factor == 1 ? s : s.substring(0, s.length() - 1);
    try {
      return (long) (Double.parseDouble(number) * factor);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
