package dev.nimbus.pvesim;

/**
 * An API token created on the simulator, with its secret (shown once, like Proxmox). {@link
 * #toString()} never shows the secret.
 */
public record ApiToken(String userid, String tokenId, String secret) {

  /** {@code user@realm!tokenid}. */
  public String fullId() {
    return userid + "!" + tokenId;
  }

  /** The {@code Authorization} header value Proxmox expects. */
  public String authorizationHeader() {
    return "PVEAPIToken=" + fullId() + "=" + secret;
  }

  @Override
  public String toString() {
    return "ApiToken[" + fullId() + ", secret=***]";
  }
}
