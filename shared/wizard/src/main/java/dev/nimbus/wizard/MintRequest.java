package dev.nimbus.wizard;

import dev.nimbus.model.Secret;
import java.util.Set;

/**
 * Mint a least-privilege token: log in as {@code username} (with a one-time code when the account
 * has a second factor), then create or reuse {@code userId}, create the privilege-separated token
 * {@code tokenName}, a role with exactly the chosen features' privileges and the ACLs for user and
 * token. The password and code are used for this call only.
 */
public record MintRequest(
    String username,
    Secret password,
    Secret otp,
    String userId,
    String tokenName,
    Set<WizardFeature> features)
    implements AutoCloseable {
  public MintRequest {
    features = Set.copyOf(features);
  }

  @Override
  public void close() {
    if (password != null) {
      password.destroy();
    }
    if (otp != null) {
      otp.destroy();
    }
  }
}
