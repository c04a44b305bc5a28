package dev.nimbus.wizard;

import java.util.List;

/**
 * What minting did on the cluster. The token's secret is not here: it is stored encrypted for the
 * connection and used when the connection is saved.
 */
public record MintResult(
    String tokenId,
    boolean userCreated,
    String roleId,
    boolean roleCreated,
    List<String> privileges,
    List<String> acls,
    CheckResult check) {
  public MintResult {
    privileges = List.copyOf(privileges);
    acls = List.copyOf(acls);
  }
}
