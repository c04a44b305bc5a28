package dev.nimbus.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoverySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/** Checks the invariants concurrent applies must keep, on any repository. */
final class Consistency {
  private Consistency() {}

  /** Every history entry of a CI, newest first, read through all pages of its timeline. */
  static List<CiHistoryEntry> fullTimeline(CiRepository repository, StoredCi ci) {
    List<CiHistoryEntry> all = new ArrayList<>();
    String cursor = null;
    do {
      Page<CiHistoryEntry> page = repository.timeline(ci.connection(), ci.id(), 10, cursor);
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }

  /**
   * Every CI of the connection has state ids 1..n each recorded by exactly one history entry, the
   * newest entry matches the CI, and its content is the content of that CI in one of the snapshots.
   */
  static void assertConsistent(
      CiRepository repository, ConnectionRef connection, List<DiscoverySnapshot> snapshots) {
    List<StoredCi> stored = repository.allOfConnection(connection);
    assertThat(stored).isNotEmpty();
    for (StoredCi ci : stored) {
      List<CiHistoryEntry> timeline = fullTimeline(repository, ci);
      assertThat(timeline)
          .as("history of %s", ci.nativeKey())
          .extracting(CiHistoryEntry::configurationStateId)
          .containsExactlyElementsOf(
              LongStream.rangeClosed(1, ci.configurationStateId())
                  .map(i -> ci.configurationStateId() + 1 - i)
                  .boxed()
                  .toList());
      assertThat(timeline.getFirst().status()).isEqualTo(ci.status());
      assertThat(timeline.getFirst().change()).isEqualTo(ci.lastChange());
      List<String> candidates =
          snapshots.stream()
              .flatMap(s -> s.items().stream())
              .filter(i -> i.nativeKey().equals(ci.nativeKey()))
              .map(ConfigurationItem::contentHash)
              .toList();
      assertThat(candidates).as("content of %s", ci.nativeKey()).contains(ci.contentHash());
      assertThat(ci.contentHash()).isEqualTo(ci.item().contentHash());
    }
  }
}
