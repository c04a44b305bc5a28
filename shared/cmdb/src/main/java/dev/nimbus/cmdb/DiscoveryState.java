package dev.nimbus.cmdb;

import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The provider's cursor for a connection (the snapshot's {@code providerState}) and the capture
 * time of the run that stored it; {@code version} is the optimistic-lock version of the stored
 * item.
 */
public record DiscoveryState(
    ConnectionRef connection,
    SortedMap<String, String> providerState,
    Instant capturedAt,
    long version) {

  public DiscoveryState {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(capturedAt, "capturedAt");
    providerState =
        Collections.unmodifiableSortedMap(
            new TreeMap<>(providerState == null ? Map.of() : providerState));
  }
}
