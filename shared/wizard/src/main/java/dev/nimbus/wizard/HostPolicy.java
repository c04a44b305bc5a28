package dev.nimbus.wizard;

import dev.nimbus.netpolicy.AddressPolicy;
import dev.nimbus.netpolicy.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which hosts the wizard may connect to on a user's behalf. The function runs inside AWS, so a
 * user-given host could point it at the instance metadata service or at the account's private
 * network. The address rules are shared/netpolicy {@link AddressPolicy}, the one policy webhook
 * deliveries follow too: cloud metadata, link-local, unspecified and multicast addresses never;
 * loopback, private (RFC 1918), shared (100.64/10), unique-local and reserved addresses only when
 * the deployment's allow-list ({@code WIZARD_ALLOWED_PRIVATE_CIDRS}) contains them, since many
 * clusters are reached over a VPN. Every address a name resolves to must pass, so a name that also
 * resolves to a private address is refused.
 *
 * <p>The check runs right before each connection (probe, check, mint, preview, save, re-pin). A DNS
 * answer that changes between this check and the JVM's own lookup (rebinding) is not caught here;
 * the JVM's DNS cache (30 s by default) narrows that window.
 */
public final class HostPolicy {
  /** Resolves host names; a seam for tests. */
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final AddressPolicy addresses;
  private final Resolver resolver;

  public HostPolicy(List<Cidr> allowedPrivate, Resolver resolver) {
    // No local mode: loopback only through the allow-list (bin/wizard and the tests name it).
    this.addresses = new AddressPolicy(false, allowedPrivate);
    this.resolver = resolver;
  }

  /** From a comma-separated CIDR list (empty: no private address is allowed). */
  public static HostPolicy fromAllowList(String cidrs) {
    List<Cidr> allowed = new ArrayList<>();
    if (cidrs != null) {
      Arrays.stream(cidrs.split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .forEach(s -> allowed.add(Cidr.parse(s)));
    }
    return new HostPolicy(allowed, InetAddress::getAllByName);
  }

  public List<Cidr> allowedPrivate() {
    return addresses.allowed();
  }

  /**
   * Refuses {@code host} (reported as {@code field}) unless every address it resolves to may be
   * contacted.
   *
   * @throws WizardException POLICY (or UNREACHABLE when the name does not resolve)
   */
  public void check(String field, String host) {
    InetAddress[] resolved;
    try {
      resolved = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw WizardException.field(
          WizardException.Kind.UNREACHABLE, field, "'" + host + "' does not resolve (DNS)");
    }
    for (InetAddress a : resolved) {
      String why = refusal(a);
      if (why != null) {
        throw WizardException.field(
            WizardException.Kind.POLICY,
            field,
            "'" + host + "' resolves to " + a.getHostAddress() + ", " + why);
      }
    }
  }

  private String refusal(InetAddress a) {
    return switch (addresses.judge(a)) {
      case ALLOWED -> null;
      case METADATA -> "a cloud metadata or credential endpoint, which is never contacted";
      case NEVER ->
          "a link-local, multicast, unspecified, deprecated or otherwise unreachable"
              + " special-purpose address, which is never contacted";
      case LOOPBACK, PRIVATE ->
          "a private, loopback or reserved address that this deployment's allow-list"
              + " (WIZARD_ALLOWED_PRIVATE_CIDRS) does not include";
    };
  }
}
