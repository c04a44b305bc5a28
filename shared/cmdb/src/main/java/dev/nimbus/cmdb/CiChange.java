package dev.nimbus.cmdb;

import dev.nimbus.model.Attribution;
import dev.nimbus.model.PropertyChange;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One recorded change of a CI, as in AWS Config's change notification: what kind of change, the
 * field-level {@code changedProperties} (empty for a creation, a deletion or an unreachable mark:
 * the full state is in the CI itself), who caused it when known, and when the discovery run that
 * saw it captured the connection.
 */
public record CiChange(
    ChangeKind kind,
    List<PropertyChange> changedProperties,
    Attribution attribution,
    Instant capturedAt) {

  public CiChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(capturedAt, "capturedAt");
    changedProperties = changedProperties == null ? List.of() : List.copyOf(changedProperties);
    attribution = attribution == null ? Attribution.UNKNOWN : attribution;
  }
}
