package dev.nimbus.cmdb;

import static dev.nimbus.cmdb.Fixtures.T0;
import static dev.nimbus.cmdb.Fixtures.changed;
import static dev.nimbus.cmdb.Fixtures.cluster;
import static dev.nimbus.cmdb.Fixtures.complete;
import static dev.nimbus.cmdb.Fixtures.snapshot;
import static dev.nimbus.cmdb.Fixtures.withAttribute;
import static dev.nimbus.cmdb.Fixtures.without;
import static dev.nimbus.cmdb.Fixtures.withoutScope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.Attribution;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.PropertyChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CmdbServiceTest {
  private final ConnectionRef lab = new ConnectionRef("acme", "lab");
  private final InMemoryCiRepository repository = new InMemoryCiRepository();
  private final CmdbService cmdb =
      new CmdbService(repository, CmdbSettings.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
  private final List<ConfigurationItem> items = cluster(lab);

  private StoredCi stored(String nativeKey) {
    return repository.find(lab, nativeKey).orElseThrow();
  }

  @Test
  void newCisAreStoredAsDiscoveredWithStateIdOneAndOneCreatedHistoryEntryEach() {
    ApplyResult result = cmdb.apply(complete(lab, T0, items));

    assertThat(result.created()).isEqualTo(items.size());
    StoredCi vm = stored("qemu/101");
    assertThat(vm.status()).isEqualTo(CiStatus.RESOURCE_DISCOVERED);
    assertThat(vm.configurationStateId()).isEqualTo(1);
    assertThat(vm.firstSeen()).isEqualTo(T0);
    assertThat(vm.lastChange().kind()).isEqualTo(ChangeKind.CREATED);
    assertThat(repository.history(vm.id()))
        .singleElement()
        .satisfies(h -> assertThat(h.change().kind()).isEqualTo(ChangeKind.CREATED));
  }

  @Test
  void applyingTheSameSnapshotAgainWritesNothing() {
    cmdb.apply(complete(lab, T0, items));
    long callsBefore = repository.writeCalls();

    ApplyResult again = cmdb.apply(complete(lab, T0.plusSeconds(60), items));

    assertThat(again.unchanged()).isEqualTo(items.size());
    assertThat(again.writeRequests()).isZero();
    assertThat(again.writtenItems()).isZero();
    assertThat(repository.writeCalls()).isEqualTo(callsBefore);
    assertThat(stored("qemu/101").status()).isEqualTo(CiStatus.RESOURCE_DISCOVERED);
  }

  @Test
  void aChangedAttributeMovesTheCiToOkWithTheNextStateIdAndRecordsPreviousAndUpdatedValue() {
    cmdb.apply(complete(lab, T0, items));
    Instant t1 = T0.plusSeconds(900);
    var alice = new Attribution("alice@pve", "UPID:pve1:0001:qmconfig", "qmconfig", t1);

    ApplyResult result =
        cmdb.apply(
            snapshot(
                lab,
                t1,
                changed(items, "qemu/101", vm -> withAttribute(vm, "cores", 8)),
                Fixtures.ALL_SCOPES,
                Set.of(),
                Map.of("qemu/101", alice),
                Map.of()));

    assertThat(result.updated()).isEqualTo(1);
    assertThat(result.unchanged()).isEqualTo(items.size() - 1);
    assertThat(result.writtenItems()).isEqualTo(2);
    StoredCi vm = stored("qemu/101");
    assertThat(vm.status()).isEqualTo(CiStatus.OK);
    assertThat(vm.configurationStateId()).isEqualTo(2);
    assertThat(vm.lastChanged()).isEqualTo(t1);
    assertThat(vm.firstSeen()).isEqualTo(T0);
    List<CiHistoryEntry> history = repository.history(vm.id());
    assertThat(history).hasSize(2);
    CiChange change = history.getLast().change();
    assertThat(change.kind()).isEqualTo(ChangeKind.UPDATED);
    assertThat(change.changedProperties())
        .containsExactly(
            new PropertyChange("attributes.cores", 4L, 8L, PropertyChange.Kind.UPDATE));
    assertThat(change.attribution()).isEqualTo(alice);
    assertThat(change.capturedAt()).isEqualTo(t1);
  }

  @Test
  void historyExpiresAfterTheConfiguredRetentionCountedFromTheCaptureTime() {
    cmdb.apply(complete(lab, T0, items));
    var shortLived =
        new CmdbService(
            repository,
            CmdbSettings.defaults().withHistoryRetention(Duration.ofDays(30)),
            Clock.systemUTC());
    shortLived.apply(
        complete(
            lab,
            T0.plusSeconds(60),
            changed(items, "qemu/101", vm -> withAttribute(vm, "cores", 2))));

    List<CiHistoryEntry> history = repository.history(stored("qemu/101").id());
    assertThat(history.get(0).expiresAt()).isEqualTo(T0.plus(Duration.ofDays(400)));
    assertThat(history.get(1).expiresAt()).isEqualTo(T0.plusSeconds(60).plus(Duration.ofDays(30)));
  }

  @Test
  void aCiMissingFromACompletelyReadScopeIsDeleted() {
    cmdb.apply(complete(lab, T0, items));

    ApplyResult result = cmdb.apply(complete(lab, T0.plusSeconds(60), without(items, "qemu/102")));

    assertThat(result.deleted()).isEqualTo(1);
    StoredCi gone = stored("qemu/102");
    assertThat(gone.status()).isEqualTo(CiStatus.RESOURCE_DELETED);
    assertThat(gone.configurationStateId()).isEqualTo(2);
    assertThat(gone.lastChange().kind()).isEqualTo(ChangeKind.DELETED);
    assertThat(
            cmdb.apply(complete(lab, T0.plusSeconds(120), without(items, "qemu/102")))
                .writeRequests())
        .as("a deleted CI is not deleted again")
        .isZero();
  }

  @Test
  void cisOfAnUnreachableScopeAreMarkedUnreachableOnceAndNeverDeleted() {
    cmdb.apply(complete(lab, T0, items));
    DiscoverySnapshot pve1Down =
        snapshot(
            lab,
            T0.plusSeconds(60),
            withoutScope(items, "node/pve1"),
            Set.of("cluster", "node/pve2"),
            Set.of("node/pve1"),
            Map.of(),
            Map.of());

    ApplyResult first = cmdb.apply(pve1Down);
    ApplyResult second =
        cmdb.apply(
            snapshot(
                lab,
                T0.plusSeconds(120),
                withoutScope(items, "node/pve1"),
                Set.of("cluster", "node/pve2"),
                Set.of("node/pve1"),
                Map.of(),
                Map.of()));

    long onPve1 = items.stream().filter(i -> i.scope().equals("node/pve1")).count();
    assertThat(first.unreachable()).isEqualTo(onPve1);
    assertThat(first.deleted()).isZero();
    assertThat(stored("qemu/101").status()).isEqualTo(CiStatus.UNREACHABLE);
    assertThat(stored("qemu/101").lastChange().kind()).isEqualTo(ChangeKind.UNREACHABLE);
    assertThat(second.unreachable()).isEqualTo(onPve1);
    assertThat(second.writeRequests()).as("already unreachable: not rewritten").isZero();
    assertThat(stored("qemu/101").configurationStateId()).isEqualTo(2);
  }

  @Test
  void aCiListedAsUnreachableKeepsItsLastKnownContentAndANewOneIsCreatedUnreachable() {
    cmdb.apply(complete(lab, T0, without(items, "qemu/102")));
    ConfigurationItem knownHost = Fixtures.find(items, "qemu/101");
    // What the provider lists for an offline node: a row-only CI, blank where the node would
    // have answered.
    ConfigurationItem blanked =
        Fixtures.withAttributes(knownHost, dev.nimbus.model.Attributes.of(Map.of("vmid", 101)))
            .withStatus(CiStatus.UNREACHABLE);
    ConfigurationItem neverSeen = Fixtures.find(items, "qemu/102").withStatus(CiStatus.UNREACHABLE);
    List<ConfigurationItem> listed =
        changed(changed(items, "qemu/101", vm -> blanked), "qemu/102", vm -> neverSeen);

    ApplyResult result = cmdb.apply(complete(lab, T0.plusSeconds(60), listed));

    StoredCi host = stored("qemu/101");
    assertThat(host.status()).isEqualTo(CiStatus.UNREACHABLE);
    assertThat(host.contentHash()).as("last known facts kept").isEqualTo(knownHost.contentHash());
    assertThat(host.lastChange().kind()).isEqualTo(ChangeKind.UNREACHABLE);
    assertThat(host.lastChange().changedProperties()).isEmpty();
    StoredCi created = stored("qemu/102");
    assertThat(created.status()).isEqualTo(CiStatus.UNREACHABLE);
    assertThat(created.lastChange().kind()).isEqualTo(ChangeKind.CREATED);
    assertThat(result.deleted()).isZero();
    assertThat(result.updated()).isZero();

    ApplyResult again = cmdb.apply(complete(lab, T0.plusSeconds(120), listed));
    assertThat(again.writeRequests()).as("still unreachable: nothing written").isZero();
  }

  @Test
  void anUnreachableCiSeenAgainRecoversEvenWhenItsContentIsUnchanged() {
    cmdb.apply(complete(lab, T0, items));
    cmdb.apply(
        snapshot(
            lab,
            T0.plusSeconds(60),
            withoutScope(items, "node/pve1"),
            Set.of("cluster", "node/pve2"),
            Set.of("node/pve1"),
            Map.of(),
            Map.of()));

    ApplyResult back = cmdb.apply(complete(lab, T0.plusSeconds(120), items));

    long onPve1 = items.stream().filter(i -> i.scope().equals("node/pve1")).count();
    assertThat(back.recovered()).isEqualTo(onPve1);
    StoredCi vm = stored("qemu/101");
    assertThat(vm.status()).isEqualTo(CiStatus.OK);
    assertThat(vm.configurationStateId()).isEqualTo(3);
    assertThat(vm.lastChange().kind()).isEqualTo(ChangeKind.RECOVERED);
    assertThat(vm.lastChange().changedProperties()).isEmpty();
  }

  @Test
  void aCiMissingFromAScopeTheRunDidNotCoverIsLeftAlone() {
    cmdb.apply(complete(lab, T0, items));

    ApplyResult result =
        cmdb.apply(
            snapshot(
                lab,
                T0.plusSeconds(60),
                withoutScope(items, "node/pve2"),
                Set.of("cluster", "node/pve1"),
                Set.of(),
                Map.of(),
                Map.of()));

    assertThat(result.writeRequests()).isZero();
    assertThat(stored("lxc/200").status()).isEqualTo(CiStatus.RESOURCE_DISCOVERED);
  }

  @Test
  void aDeletedCiSeenAgainIsCreatedAgainWithTheNextStateId() {
    cmdb.apply(complete(lab, T0, items));
    cmdb.apply(complete(lab, T0.plusSeconds(60), without(items, "lxc/200")));

    ApplyResult result = cmdb.apply(complete(lab, T0.plusSeconds(120), items));

    assertThat(result.created()).isEqualTo(1);
    StoredCi back = stored("lxc/200");
    assertThat(back.status()).isEqualTo(CiStatus.RESOURCE_DISCOVERED);
    assertThat(back.configurationStateId()).isEqualTo(3);
    assertThat(repository.history(back.id()))
        .extracting(h -> h.change().kind())
        .containsExactly(ChangeKind.CREATED, ChangeKind.DELETED, ChangeKind.CREATED);
  }

  @Test
  void aSnapshotCapturedBeforeTheStoredChangeDoesNotUndoIt() {
    cmdb.apply(complete(lab, T0, items));
    cmdb.apply(
        complete(
            lab,
            T0.plusSeconds(600),
            changed(items, "qemu/101", vm -> withAttribute(vm, "cores", 8))));

    ApplyResult late = cmdb.apply(complete(lab, T0.plusSeconds(300), items));

    assertThat(late.writeRequests()).isZero();
    assertThat(stored("qemu/101").item().attributes().get("cores")).isEqualTo(8L);
  }

  @Test
  void writesArePackedIntoTransactionsOfAtMostTheConfiguredNumberOfCis() {
    var small =
        new CmdbService(
            repository, CmdbSettings.defaults().withCisPerTransaction(4), Clock.systemUTC());

    ApplyResult result = small.apply(complete(lab, T0, items));

    assertThat(result.writeRequests()).isEqualTo((items.size() + 3) / 4);
    assertThat(result.writtenItems()).isEqualTo(2L * items.size());
  }

  @Test
  void theProviderStateIsStoredOnlyWhenItChanges() {
    var state = Map.of("lastTask", "UPID:pve1:00001", "sweep", "3");
    ApplyResult first =
        cmdb.apply(snapshot(lab, T0, items, Fixtures.ALL_SCOPES, Set.of(), Map.of(), state));
    ApplyResult same =
        cmdb.apply(
            snapshot(
                lab, T0.plusSeconds(60), items, Fixtures.ALL_SCOPES, Set.of(), Map.of(), state));
    ApplyResult moved =
        cmdb.apply(
            snapshot(
                lab,
                T0.plusSeconds(120),
                items,
                Fixtures.ALL_SCOPES,
                Set.of(),
                Map.of(),
                Map.of("lastTask", "UPID:pve1:00009", "sweep", "4")));

    assertThat(first.writtenItems()).isEqualTo(2L * items.size() + 1);
    assertThat(same.writeRequests()).isZero();
    assertThat(moved.writeRequests()).isEqualTo(1);
    assertThat(repository.discoveryState(lab).orElseThrow().providerState())
        .containsEntry("lastTask", "UPID:pve1:00009");
  }

  @Test
  void thePreviousSnapshotHoldsTheLiveCisTheProviderStateAndTheLastCaptureTime() {
    assertThat(cmdb.previousSnapshot(lab).isFirstRun()).isTrue();
    cmdb.apply(
        snapshot(lab, T0, items, Fixtures.ALL_SCOPES, Set.of(), Map.of(), Map.of("lastTask", "x")));
    cmdb.apply(
        snapshot(
            lab,
            T0.plusSeconds(60),
            without(items, "lxc/200"),
            Fixtures.ALL_SCOPES,
            Set.of(),
            Map.of(),
            Map.of("lastTask", "x")));

    DiscoverySnapshot previous = cmdb.previousSnapshot(lab);

    assertThat(previous.isFirstRun()).isFalse();
    assertThat(previous.items()).extracting(ConfigurationItem::nativeKey).doesNotContain("lxc/200");
    assertThat(previous.items()).hasSize(items.size() - 1);
    assertThat(previous.providerState()).containsEntry("lastTask", "x");
    assertThat(previous.capturedAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void aRunRecordCountsWhatTheApplyDidAndNamesThePartialScopes() {
    cmdb.apply(complete(lab, T0, items));
    DiscoverySnapshot partial =
        new DiscoverySnapshot(
            lab,
            T0.plusSeconds(60),
            changed(
                withoutScope(items, "node/pve2"), "qemu/101", vm -> withAttribute(vm, "cores", 6)),
            Set.of("cluster", "node/pve1"),
            Set.of("node/pve2"),
            Map.of(),
            List.of(
                new dev.nimbus.model.DiscoveryProblem(
                    dev.nimbus.model.DiscoveryProblem.Kind.SCOPE_UNREACHABLE,
                    "node/pve2",
                    "595 no route to host")),
            null,
            17);
    ApplyResult result = cmdb.apply(partial);

    RunRecord run = RunRecord.of(partial, result, T0.plusSeconds(55), T0.plusSeconds(61));
    repository.saveRun(run);

    assertThat(run.updated()).isEqualTo(1);
    assertThat(run.unreachable()).isEqualTo(2);
    assertThat(run.unchanged()).isEqualTo(items.size() - 3);
    assertThat(run.providerCalls()).isEqualTo(17);
    assertThat(run.dynamoDbWrittenItems()).isEqualTo(6);
    assertThat(run.duration()).isEqualTo(Duration.ofSeconds(6));
    assertThat(run.partial()).isTrue();
    assertThat(run.partialScopes()).containsExactly("node/pve2");
    assertThat(run.errors()).containsExactly("SCOPE_UNREACHABLE node/pve2: 595 no route to host");
    assertThat(repository.latestRuns(lab, 5)).containsExactly(run);
  }

  @Test
  void aSnapshotListingACiTwiceIsRefused() {
    List<ConfigurationItem> twice = new java.util.ArrayList<>(items);
    twice.add(items.getFirst());

    assertThatThrownBy(() -> cmdb.apply(complete(lab, T0, twice)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }
}
