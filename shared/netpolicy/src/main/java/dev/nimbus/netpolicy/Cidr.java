package dev.nimbus.netpolicy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An address range such as {@code 10.20.0.0/16} or {@code fd12:3456::/32}, used by {@link
 * AddressPolicy} for its ranges and the explicit allow list.
 */
public record Cidr(byte[] network, int prefixLength, String text) {

  public Cidr {
    Objects.requireNonNull(network, "network");
    if (prefixLength < 0 || prefixLength > network.length * 8) {
      throw new IllegalArgumentException("bad prefix length in " + text);
    }
    network = network.clone();
  }

  /** Parses {@code address/prefix}; a bare address is a single-address range. */
  public static Cidr parse(String text) {
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    if (!address.matches("[0-9a-fA-F:.]+")) {
      // Only literals: a host name here would trigger a DNS lookup and mean nothing stable.
      throw new IllegalArgumentException("not an IP range: '" + text + "'");
    }
    try {
      byte[] bytes = InetAddress.getByName(address).getAddress();
      int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
      return new Cidr(bytes, prefix, trimmed);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("not an IP range: '" + text + "'", e);
    }
  }

  /** True when {@code address} is of the same family and inside this range. */
  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr other && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
