package dev.nimbus.proxmox.client.model;

import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A decoded task id, {@code UPID:node:pid:pstart:starttime:type:id:user:} with pid, pstart and
 * starttime in hex. {@code id} is often the vmid the task touched (empty for node tasks); {@code
 * user} may be a token ({@code root@pam!ci}).
 */
public record Upid(
    String node,
    long pid,
    long pstart,
    Instant starttime,
    String type,
    String id,
    String user,
    String text) {

  private static final Pattern UPID =
      Pattern.compile(
          "UPID:([a-zA-Z0-9](?:[a-zA-Z0-9.\\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):"
              + "([0-9A-Fa-f]{8}):([^:\\s]+):([^:\\s]*):([^:\\s]+):");

  public static Upid parse(String text) {
    Matcher m = UPID.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Proxmox UPID: " + text);
    }
    return new Upid(
        m.group(1),
        HexFormat.fromHexDigitsToLong(m.group(2)),
        HexFormat.fromHexDigitsToLong(m.group(3)),
        Instant.ofEpochSecond(HexFormat.fromHexDigitsToLong(m.group(4))),
        m.group(5),
        m.group(6),
        m.group(7),
        text.trim());
  }

  /** Parses, or returns null for text that is not a UPID. */
  public static Upid tryParse(String text) {
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The vmid the task worked on, when its id is numeric. */
  public Integer vmid() {
    Long v = Lenient.parseLong(id);
    return v == null || !id.matches("\\d+") ? null : Math.toIntExact(v);
  }
}
