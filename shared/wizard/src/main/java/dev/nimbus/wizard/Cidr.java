package dev.nimbus.wizard;

import java.math.BigInteger;
import java.net.InetAddress;

/** An IPv4 or IPv6 network in CIDR notation ({@code 10.20.0.0/16}, {@code fd00::/8}). */
public record Cidr(InetAddress network, int prefix) {

  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + t + "' is not a CIDR (address/prefix)");
    }
    InetAddress address;
    int prefix;
    try {
      address = InetAddress.ofLiteral(t.substring(0, slash));
      prefix = Integer.parseInt(t.substring(slash + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + t + "' is not a CIDR (address/prefix)");
    }
    int bits = address.getAddress().length * 8;
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("'" + t + "': prefix must be 0-" + bits);
    }
    return new Cidr(address, prefix);
  }

  public boolean contains(InetAddress address) {
    byte[] net = network.getAddress();
    byte[] a = address.getAddress();
    if (net.length != a.length) {
      return false;
    }
    int bits = net.length * 8;
    if (prefix == 0) {
      return true;
    }
    BigInteger mask =
        BigInteger.ONE
            .shiftLeft(bits)
            .subtract(BigInteger.ONE)
            .shiftRight(bits - prefix)
            .shiftLeft(bits - prefix);
    return new BigInteger(1, net).and(mask).equals(new BigInteger(1, a).and(mask));
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefix;
  }
}
