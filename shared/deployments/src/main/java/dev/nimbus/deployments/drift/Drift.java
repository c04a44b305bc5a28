package dev.nimbus.deployments.drift;

import dev.nimbus.model.ConnectionRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One drift of one resource of one stack ({@code <project>/<stack>}), or of an unmanaged CI (stack
 * {@link #UNMANAGED_STACK}). Identity is (connection, stack, native key); {@code fingerprint} names
 * its content (class and current values), so a check that finds the same fingerprint again changes
 * nothing and sends nothing.
 *
 * @param author the Proxmox user the CMDB credits with the change, when known
 * @param taskId the Proxmox task (UPID) of the change, when known
 * @param recommendation what the operator should do, in words
 * @param detectedAt when a check first found this content
 * @param resolvedAt when a check found it gone (status RESOLVED)
 */
public record Drift(
    ConnectionRef connection,
    String stack,
    String nativeKey,
    String urn,
    String resourceType,
    String semanticType,
    DriftClass driftClass,
    List<DriftProperty> properties,
    String author,
    String taskId,
    String recommendation,
    String fingerprint,
    DriftStatus status,
    Instant detectedAt,
    Instant resolvedAt) {

  /** The stack name of drift records about CIs that no stack manages. */
  public static final String UNMANAGED_STACK = "-";

  public Drift {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(nativeKey, "nativeKey");
    Objects.requireNonNull(driftClass, "driftClass");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detectedAt, "detectedAt");
    properties = properties == null ? List.of() : List.copyOf(properties);
    if (fingerprint == null) {
      fingerprint = fingerprintOf(driftClass, nativeKey, properties);
    }
  }

  /** The same drift, resolved at {@code at}. */
  public Drift resolved(Instant at) {
    return new Drift(
        connection,
        stack,
        nativeKey,
        urn,
        resourceType,
        semanticType,
        driftClass,
        properties,
        author,
        taskId,
        recommendation,
        fingerprint,
        DriftStatus.RESOLVED,
        detectedAt,
        at);
  }

  /** True when both name the same stack and resource. */
  public boolean sameResource(Drift other) {
    return connection.equals(other.connection)
        && stack.equals(other.stack)
        && nativeKey.equals(other.nativeKey);
  }

  /**
   * The event id of this drift's NEW (status OPEN) or RESOLVED event: a name-based UUID of
   * connection, stack, resource, fingerprint and status, so a re-sent event carries the same id.
   */
  public String eventId() {
    String name =
        String.join(
            "|",
            connection.tenantId(),
            connection.connectionId(),
            stack,
            nativeKey,
            fingerprint,
            status.name());
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Class, resource and the current value of every property: what makes a drift "the same". */
  static String fingerprintOf(DriftClass c, String nativeKey, List<DriftProperty> properties) {
    StringBuilder b = new StringBuilder(c.name()).append('|').append(nativeKey);
    properties.stream()
        .map(p -> p.path() + "=" + DriftValues.canonical(p.current()))
        .sorted()
        .forEach(s -> b.append('|').append(s));
    return DriftValues.sha256(b.toString());
  }
}
