package dev.nimbus.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * A typed edge from the CI that holds it to another CI of the same connection, for example "VM 101
 * runs on node/pve1". The target is named by native key (readable, and known before the target CI
 * is built) and by its derived id. {@code qualifier} distinguishes several edges of one kind to the
 * same target ({@code net0}, {@code scsi1}); it is empty when there is just one.
 */
public record Relationship(
    RelationshipKind kind, CiId targetId, String targetNativeKey, String qualifier)
    implements Comparable<Relationship> {

  private static final Comparator<Relationship> ORDER =
      Comparator.comparing(Relationship::kind)
          .thenComparing(Relationship::targetNativeKey)
          .thenComparing(Relationship::qualifier);

  public Relationship {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(targetId, "targetId");
    NativeKeys.requireValid(targetNativeKey);
    qualifier = qualifier == null ? "" : qualifier;
  }

  /** An edge to {@code targetNativeKey} in the same connection and provider as the source. */
  public static Relationship to(
      RelationshipKind kind,
      String provider,
      ConnectionRef connection,
      String targetNativeKey,
      String qualifier) {
    return new Relationship(
        kind, CiId.of(provider, connection, targetNativeKey), targetNativeKey, qualifier);
  }

  @Override
  public int compareTo(Relationship other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return kind.phrase()
        + " "
        + targetNativeKey
        + (qualifier.isEmpty() ? "" : " (" + qualifier + ")");
  }
}
