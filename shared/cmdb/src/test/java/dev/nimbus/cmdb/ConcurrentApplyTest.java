package dev.nimbus.cmdb;

import static dev.nimbus.cmdb.Fixtures.T0;
import static dev.nimbus.cmdb.Fixtures.changed;
import static dev.nimbus.cmdb.Fixtures.cluster;
import static dev.nimbus.cmdb.Fixtures.complete;
import static dev.nimbus.cmdb.Fixtures.withAttribute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.SemanticType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ConcurrentApplyTest {
  private final ConnectionRef lab = new ConnectionRef("acme", "lab");
  private final List<ConfigurationItem> items = cluster(lab);

  @Test
  void aTransactionThatLostARaceIsRetriedPerCiAgainstTheFreshState() {
    InMemoryCiRepository memory = new InMemoryCiRepository();
    new CmdbService(memory, CmdbSettings.defaults(), Clock.systemUTC())
        .apply(complete(lab, T0, items));
    DiscoverySnapshot other =
        complete(
            lab,
            T0.plusSeconds(10),
            changed(items, "qemu/101", vm -> withAttribute(vm, "cores", 6)));
    DiscoverySnapshot mine =
        complete(
            lab,
            T0.plusSeconds(20),
            changed(items, "qemu/101", vm -> withAttribute(vm, "cores", 8)));
    // Another run writes between this run's read and its write.
    CiRepository racing =
        new Racing(
            memory,
            () -> new CmdbService(memory, CmdbSettings.defaults(), Clock.systemUTC()).apply(other));

    ApplyResult result =
        new CmdbService(racing, CmdbSettings.defaults(), Clock.systemUTC()).apply(mine);

    assertThat(result.conflicts()).isEqualTo(1);
    assertThat(result.updated()).isEqualTo(1);
    StoredCi vm = memory.find(lab, "qemu/101").orElseThrow();
    assertThat(vm.item().attributes().get("cores")).isEqualTo(8L);
    assertThat(vm.configurationStateId()).isEqualTo(3);
    assertThat(vm.lastChange().changedProperties().getFirst().previousValue())
        .as("the change is computed against the state the other run stored")
        .isEqualTo(6L);
    Consistency.assertConsistent(memory, lab, List.of(complete(lab, T0, items), other, mine));
  }

  @RepeatedTest(20)
  void twoThreadsApplyingDifferentSnapshotsAtOnceLoseNoUpdateAndDuplicateNoHistory()
      throws Exception {
    InMemoryCiRepository memory = new InMemoryCiRepository();
    CmdbService cmdb =
        new CmdbService(
            memory, CmdbSettings.defaults().withCisPerTransaction(2), Clock.systemUTC());
    cmdb.apply(complete(lab, T0, items));
    DiscoverySnapshot a = complete(lab, T0.plusSeconds(10), everyComputeWith(items, "cores", 6));
    DiscoverySnapshot b =
        complete(lab, T0.plusSeconds(20), everyComputeWith(items, "memoryMiB", 1024));

    runTogether(() -> cmdb.apply(a), () -> cmdb.apply(b));

    Consistency.assertConsistent(memory, lab, List.of(a, b));
    for (ConfigurationItem expected : b.items()) {
      assertThat(memory.find(lab, expected.nativeKey()).orElseThrow().contentHash())
          .as("the newest snapshot wins for %s", expected.nativeKey())
          .isEqualTo(expected.contentHash());
    }
  }

  @RepeatedTest(20)
  void twoThreadsApplyingTheSameSnapshotCreateEachCiExactlyOnce() throws Exception {
    InMemoryCiRepository memory = new InMemoryCiRepository();
    CmdbService cmdb =
        new CmdbService(
            memory, CmdbSettings.defaults().withCisPerTransaction(2), Clock.systemUTC());
    DiscoverySnapshot same = complete(lab, T0, items);
    ApplyResult[] results = new ApplyResult[2];

    runTogether(() -> results[0] = cmdb.apply(same), () -> results[1] = cmdb.apply(same));

    Consistency.assertConsistent(memory, lab, List.of(same));
    assertThat(results[0].created() + results[1].created()).isEqualTo(items.size());
    assertThat(memory.allOfConnection(lab))
        .allSatisfy(ci -> assertThat(ci.configurationStateId()).isEqualTo(1));
  }

  static List<ConfigurationItem> everyComputeWith(
      List<ConfigurationItem> items, String key, Object value) {
    return items.stream()
        .map(i -> i.semanticType() == SemanticType.COMPUTE ? withAttribute(i, key, value) : i)
        .toList();
  }

  /** Runs both at the same instant on two threads and waits for both, rethrowing failures. */
  static void runTogether(Runnable first, Runnable second) throws Exception {
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable r : List.of(first, second)) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  r.run();
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A repository that runs {@code race} once, just before the first write reaches storage. */
  private static final class Racing extends ForwardingCiRepository {
    private Runnable race;

    Racing(CiRepository delegate, Runnable race) {
      super(delegate);
      this.race = race;
    }

    @Override
    public void write(List<CiWrite> writes) {
      if (race != null) {
        Runnable r = race;
        race = null;
        r.run();
      }
      super.write(writes);
    }
  }
}
