package dev.nimbus.proxmox.client.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Guest agent answers ({@code .../agent/network-get-interfaces}, {@code get-fsinfo}) and LXC
 * interfaces. The agent wraps its answer in {@code {result: ...}}; a guest that lacks a command
 * answers HTTP 200 with {@code {result: {error: {class, desc}}}}, kept as an error reply.
 */
public final class GuestAgent {
  private GuestAgent() {}

  /** An agent reply: either a value or the agent's error class and description. */
  public record Reply<T>(T value, String errorClass, String errorDescription) {
    public boolean isError() {
      return errorClass != null || errorDescription != null;
    }

    /** Reads {@code data} = {@code {result: ...}}, mapping the result with {@code mapper}. */
    public static <T> Reply<T> from(JsonNode data, Function<JsonNode, T> mapper) {
      JsonNode result = Lenient.field(data, "result");
      JsonNode error = Lenient.field(result, "error");
      if (error.isObject()) {
        return new Reply<>(null, Lenient.text(error, "class"), Lenient.text(error, "desc"));
      }
      return new Reply<>(mapper.apply(result), null, null);
    }
  }

  /** An IP address with its family ({@code ipv4}/{@code ipv6}) and prefix length. */
  public record IpAddress(String address, String family, Integer prefix) {
    static IpAddress from(JsonNode n) {
      return new IpAddress(
          Lenient.text(n, "ip-address"),
          Lenient.text(n, "ip-address-type"),
          Lenient.intValue(n, "prefix"));
    }

    /** Parses {@code 192.168.3.95/22} as the pre-8.4 LXC shape sends it. */
    static IpAddress fromCidr(String cidr, String family) {
      int slash = cidr.indexOf('/');
      if (slash < 0) {
        return new IpAddress(cidr, family, null);
      }
      Long prefix = Lenient.parseLong(cidr.substring(slash + 1));
      return new IpAddress(
          cidr.substring(0, slash), family, prefix == null ? null : Math.toIntExact(prefix));
    }
  }

  /** One guest interface as the QEMU agent reports it. */
  public record Interface(String name, String mac, List<IpAddress> addresses) {
    static Interface from(JsonNode n) {
      List<IpAddress> ips = new ArrayList<>();
      Lenient.array(n, "ip-addresses").forEach(ip -> ips.add(IpAddress.from(ip)));
      return new Interface(
          Lenient.text(n, "name"), Lenient.text(n, "hardware-address"), List.copyOf(ips));
    }

    /** The list of interfaces of a {@code network-get-interfaces} result. */
    public static List<Interface> listFrom(JsonNode result) {
      List<Interface> out = new ArrayList<>();
      Lenient.elements(result).forEach(n -> out.add(from(n)));
      return List.copyOf(out);
    }
  }

  /**
   * One LXC interface ({@code /nodes/{n}/lxc/{id}/interfaces}). Before PVE 8.4 rows have {@code
   * hwaddr}, {@code inet}, {@code inet6}; 8.4+ adds {@code hardware-address} and {@code
   * ip-addresses[]}. Both shapes give the same record.
   */
  public static Interface lxcInterface(JsonNode n) {
    String mac = Lenient.text(n, "hardware-address");
    if (mac == null) {
      mac = Lenient.text(n, "hwaddr");
    }
    List<IpAddress> ips = new ArrayList<>();
    JsonNode list = Lenient.field(n, "ip-addresses");
    if (list.isArray()) {
      list.forEach(ip -> ips.add(IpAddress.from(ip)));
    } else {
      String inet = Lenient.text(n, "inet");
      String inet6 = Lenient.text(n, "inet6");
      if (inet != null && !inet.isBlank()) {
        ips.add(IpAddress.fromCidr(inet, "inet"));
      }
      if (inet6 != null && !inet6.isBlank()) {
        ips.add(IpAddress.fromCidr(inet6, "inet6"));
      }
    }
    return new Interface(Lenient.text(n, "name"), mac, List.copyOf(ips));
  }

  /** One mounted file system from {@code get-fsinfo}; sizes are bytes, absent on old agents. */
  public record FileSystem(
      String name, String mountpoint, String type, Long totalBytes, Long usedBytes, JsonNode raw) {
    public static List<FileSystem> listFrom(JsonNode result) {
      List<FileSystem> out = new ArrayList<>();
      for (JsonNode n : Lenient.elements(result)) {
        out.add(
            new FileSystem(
                Lenient.text(n, "name"),
                Lenient.text(n, "mountpoint"),
                Lenient.text(n, "type"),
                Lenient.longValue(n, "total-bytes"),
                Lenient.longValue(n, "used-bytes"),
                n));
      }
      return List.copyOf(out);
    }
  }
}
