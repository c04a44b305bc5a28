package dev.nimbus.cmdb;

import static dev.nimbus.cmdb.Fixtures.T0;
import static dev.nimbus.cmdb.Fixtures.changed;
import static dev.nimbus.cmdb.Fixtures.cluster;
import static dev.nimbus.cmdb.Fixtures.complete;
import static dev.nimbus.cmdb.Fixtures.withAttribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
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
  private static final class CountingRepository extends ForwardingCiRepository {
    final AtomicInteger connectionPages = new AtomicInteger();

    CountingRepository(CiRepository delegate) {
      super(delegate);
    }

    @Override
    public Page<StoredCi> byConnection(ConnectionRef connection, int pageSize, String cursor) {
      connectionPages.incrementAndGet();
      return super.byConnection(connection, pageSize, cursor);
    }
  }
}
