package dev.nimbus.model;

import java.util.Objects;

/**
 * One permission a feature needs, in the provider's own terms: on Proxmox a privilege ({@code
 * VM.Audit}) on an ACL path ({@code /vms}). {@code reason} says what breaks without it.
 */
public record PermissionRequirement(
    Feature feature, String path, String privilege, boolean required, String reason) {
  public PermissionRequirement {
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(privilege, "privilege");
    Objects.requireNonNull(reason, "reason");
  }
}
