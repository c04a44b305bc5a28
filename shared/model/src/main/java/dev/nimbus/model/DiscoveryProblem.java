package dev.nimbus.model;

import java.util.Objects;

/**
 * Something a discovery run could not do, reported instead of failing the run: a scope that was
 * unreachable, one resource whose data was malformed, a missing privilege. {@code subject} is a
 * scope ({@code node/pve3}) or a native key ({@code qemu/101}); {@code message} never holds a
 * secret.
 */
public record DiscoveryProblem(Kind kind, String subject, String message) {

  /** What went wrong, so a user can act on it. */
  public enum Kind {
    /** A scope (node) could not be reached; its CIs are kept as unreachable. */
    SCOPE_UNREACHABLE,
    /** One resource's data could not be parsed; the rest of the run went on. */
    MALFORMED_RESOURCE,
    /** The credentials lack a privilege; {@code message} names the path and privilege. */
    MISSING_PERMISSION,
    /** A call failed for another reason. */
    CALL_FAILED,
    /** A relationship pointed at a CI the run did not find; the edge was left out. */
    DANGLING_RELATIONSHIP
  }

  public DiscoveryProblem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
  }
}
