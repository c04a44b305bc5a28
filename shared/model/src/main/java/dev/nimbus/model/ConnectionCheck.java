package dev.nimbus.model;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of testing a connection: whether it answered, what it is ({@code version}, the
 * identity the credentials act as) and which permissions are missing, per feature. A check that
 * could not reach the provider has {@code reachable == false} and an {@code error} that names the
 * cause without any secret.
 */
public record ConnectionCheck(
    boolean reachable,
    String providerVersion,
    String identity,
    List<PermissionRequirement> missing,
    String error) {
  public ConnectionCheck {
    missing = List.copyOf(Objects.requireNonNullElse(missing, List.of()));
  }

  /** True when reachable and nothing required is missing. */
  public boolean ok() {
    return reachable && missing.stream().noneMatch(PermissionRequirement::required);
  }

  /** True when reachable and the given feature has everything it requires. */
  public boolean allows(Feature feature) {
    return reachable && missing.stream().noneMatch(p -> p.feature() == feature && p.required());
  }
}
