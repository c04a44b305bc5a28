package dev.nimbus.cmdb;

import dev.nimbus.model.CiId;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.util.List;
import java.util.Optional;

/** A repository that hands every call to another; tests override the one call they observe. */
class ForwardingCiRepository implements CiRepository {
  private final CiRepository delegate;

  ForwardingCiRepository(CiRepository delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<StoredCi> find(ConnectionRef connection, String nativeKey) {
    return delegate.find(connection, nativeKey);
  }

  @Override
  public Page<StoredCi> byConnection(ConnectionRef connection, int pageSize, String cursor) {
    return delegate.byConnection(connection, pageSize, cursor);
  }

  @Override
  public Page<StoredCi> byTenantAndType(
      String tenantId, SemanticType type, int pageSize, String cursor) {
    return delegate.byTenantAndType(tenantId, type, pageSize, cursor);
  }

  @Override
  public Page<StoredCi> byCompartment(
      ConnectionRef connection, CiId compartment, int pageSize, String cursor) {
    return delegate.byCompartment(connection, compartment, pageSize, cursor);
  }

  @Override
  public Page<StoredCi> byRelationship(
      ConnectionRef connection,
      RelationshipKind kind,
      String targetNativeKey,
      int pageSize,
      String cursor) {
    return delegate.byRelationship(connection, kind, targetNativeKey, pageSize, cursor);
  }

  @Override
  public Page<CiHistoryEntry> timeline(
      ConnectionRef connection, CiId ciId, int pageSize, String cursor) {
    return delegate.timeline(connection, ciId, pageSize, cursor);
  }

  @Override
  public void write(List<CiWrite> writes) {
    delegate.write(writes);
  }

  @Override
  public Optional<DiscoveryState> discoveryState(ConnectionRef connection) {
    return delegate.discoveryState(connection);
  }

  @Override
  public DiscoveryState saveDiscoveryState(DiscoveryState state, long expectedVersion) {
    return delegate.saveDiscoveryState(state, expectedVersion);
  }

  @Override
  public void saveRun(RunRecord run) {
    delegate.saveRun(run);
  }

  @Override
  public List<RunRecord> latestRuns(ConnectionRef connection, int n) {
    return delegate.latestRuns(connection, n);
  }
}
