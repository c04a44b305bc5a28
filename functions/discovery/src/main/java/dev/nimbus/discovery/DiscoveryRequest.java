package dev.nimbus.discovery;

import dev.nimbus.model.ConnectionRef;

/** The message the scheduler queues for one due connection: run discovery for it. */
public record DiscoveryRequest(String tenantId, String connectionId) {
  public ConnectionRef ref() {
    return new ConnectionRef(tenantId, connectionId);
  }

  public static DiscoveryRequest of(ConnectionRef ref) {
    return new DiscoveryRequest(ref.tenantId(), ref.connectionId());
  }
}
