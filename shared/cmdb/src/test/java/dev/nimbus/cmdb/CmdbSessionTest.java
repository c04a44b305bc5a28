package dev.nimbus.cmdb;

import static dev.nimbus.cmdb.Fixtures.T0;
import static dev.nimbus.cmdb.Fixtures.changed;
import static dev.nimbus.cmdb.Fixtures.cluster;
import static dev.nimbus.cmdb.Fixtures.complete;
import static dev.nimbus.cmdb.Fixtures.withAttribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.CiId;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CmdbSessionTest {
  private final ConnectionRef lab = new ConnectionRef("acme", "lab");
  private final CountingRepository repository = new CountingRepository(new InMemoryCiRepository());
  private final CmdbService cmdb =
      new CmdbService(repository, CmdbSettings.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
  private final List<ConfigurationItem> items = cluster(lab);

  @Test
  void aRunReadsTheConnectionsCisOnceForThePreviousSnapshotAndTheApply() {
    cmdb.apply(complete(lab, T0, items));
    repository.connectionPages.set(0);

    CmdbService.Session session = cmdb.open(lab);
    var previous = session.previousSnapshot();
    List<ConfigurationItem> next =
        changed(previous.items(), "qemu/101", ci -> withAttribute(ci, "cores", 8));
    ApplyResult result = session.apply(complete(lab, T0.plusSeconds(900), next));

    assertThat(repository.connectionPages.get()).isEqualTo(1);
    assertThat(previous.items()).hasSize(items.size());
    assertThat(result.updated()).isEqualTo(1);
    assertThat(result.unchanged()).isEqualTo(items.size() - 1);
  }

  @Test
  void aSessionRefusesTheSnapshotOfAnotherConnection() {
    CmdbService.Session session = cmdb.open(lab);
    ConnectionRef other = new ConnectionRef("acme", "other");

    assertThatThrownBy(() -> session.apply(complete(other, T0, cluster(other))))
        .hasMessageContaining("acme/other");
  }

  /** Counts the pages of connection reads; everything else goes straight through. */
  private static final class CountingRepository implements CiRepository {
    final AtomicInteger connectionPages = new AtomicInteger();
    private final CiRepository delegate;

    CountingRepository(CiRepository delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<StoredCi> find(ConnectionRef connection, String nativeKey) {
      return delegate.find(connection, nativeKey);
    }

    @Override
    public Page<StoredCi> byConnection(ConnectionRef connection, int pageSize, String cursor) {
      connectionPages.incrementAndGet();
      return delegate.byConnection(connection, pageSize, cursor);
    }

    @Override
    public Page<StoredCi> byTenantAndType(
        String tenantId, SemanticType type, int pageSize, String cursor) {
      return delegate.byTenantAndType(tenantId, type, pageSize, cursor);
    }

    @Override
    public Page<StoredCi> byCompartment(CiId compartment, int pageSize, String cursor) {
      return delegate.byCompartment(compartment, pageSize, cursor);
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
    public Page<CiHistoryEntry> timeline(CiId ciId, int pageSize, String cursor) {
      return delegate.timeline(ciId, pageSize, cursor);
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
}
