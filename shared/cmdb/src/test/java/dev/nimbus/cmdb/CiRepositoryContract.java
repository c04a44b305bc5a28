package dev.nimbus.cmdb;

import static dev.nimbus.cmdb.Fixtures.PROVIDER;
import static dev.nimbus.cmdb.Fixtures.T0;
import static dev.nimbus.cmdb.Fixtures.changed;
import static dev.nimbus.cmdb.Fixtures.cluster;
import static dev.nimbus.cmdb.Fixtures.complete;
import static dev.nimbus.cmdb.Fixtures.withAttribute;
import static dev.nimbus.cmdb.Fixtures.without;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.CiId;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CiRepository} must do, run against the in-memory one (unit test) and the
 * DynamoDB one on the emulator (integration test). Each test uses connections of its own.
 */
abstract class CiRepositoryContract {

  abstract CiRepository repository();

  private CmdbService cmdb() {
    return new CmdbService(repository(), CmdbSettings.defaults(), Clock.systemUTC());
  }

  private static List<String> keys(List<StoredCi> cis) {
    return cis.stream().map(StoredCi::nativeKey).toList();
  }

  /** Every item of every page, asking with {@code pageSize}; checks each page's size. */
  private static <T> List<T> allPages(Function<String, Page<T>> query, int pageSize) {
    List<T> all = new ArrayList<>();
    String cursor = null;
    do {
      Page<T> page = query.apply(cursor);
      assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
      if (page.hasMore()) {
        assertThat(page.items()).hasSize(pageSize);
      }
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }

  @Test
  void findReturnsTheStoredCiWithItsAttributesRelationshipsAndChange() {
    ConnectionRef lab = Fixtures.freshConnection();
    List<ConfigurationItem> items = cluster(lab);
    cmdb().apply(complete(lab, T0, items));

    StoredCi vm = repository().find(lab, "qemu/101").orElseThrow();

    assertThat(vm.item()).isEqualTo(Fixtures.find(items, "qemu/101"));
    assertThat(vm.contentHash()).isEqualTo(vm.item().contentHash());
    assertThat(vm.version()).isEqualTo(1);
    assertThat(vm.lastChange().kind()).isEqualTo(ChangeKind.CREATED);
    assertThat(repository().find(lab, "qemu/999")).isEmpty();
  }

  @Test
  void byConnectionPagesThroughEveryCiOnceInNativeKeyOrder() {
    ConnectionRef lab = Fixtures.freshConnection();
    List<ConfigurationItem> items = cluster(lab);
    cmdb().apply(complete(lab, T0, items));
    ConnectionRef other = Fixtures.freshConnection();
    cmdb().apply(complete(other, T0, cluster(other)));

    List<StoredCi> all = allPages(c -> repository().byConnection(lab, 4, c), 4);

    assertThat(keys(all))
        .containsExactlyElementsOf(
            items.stream().map(ConfigurationItem::nativeKey).sorted().toList());
  }

  @Test
  void byTenantAndTypeReturnsThatTypeFromEveryConnectionOfTheTenantOnly() {
    ConnectionRef lab = Fixtures.freshConnection();
    ConnectionRef dr = new ConnectionRef(lab.tenantId(), "dr-site");
    ConnectionRef otherTenant = Fixtures.freshConnection();
    cmdb().apply(complete(lab, T0, cluster(lab)));
    cmdb().apply(complete(dr, T0, cluster(dr)));
    cmdb().apply(complete(otherTenant, T0, cluster(otherTenant)));

    List<StoredCi> computes =
        allPages(c -> repository().byTenantAndType(lab.tenantId(), SemanticType.COMPUTE, 2, c), 2);
    List<StoredCi> hosts =
        allPages(c -> repository().byTenantAndType(lab.tenantId(), SemanticType.HOST, 10, c), 10);

    assertThat(computes)
        .extracting(ci -> ci.connection().connectionId() + " " + ci.nativeKey())
        .containsExactly(
            "dr-site lxc/200",
            "dr-site qemu/101",
            "dr-site qemu/102",
            lab.connectionId() + " lxc/200",
            lab.connectionId() + " qemu/101",
            lab.connectionId() + " qemu/102");
    assertThat(keys(hosts)).containsExactly("node/pve1", "node/pve2", "node/pve1", "node/pve2");
  }

  @Test
  void byCompartmentReturnsTheMembersOfThePool() {
    ConnectionRef lab = Fixtures.freshConnection();
    cmdb().apply(complete(lab, T0, cluster(lab)));
    CiId prod = CiId.of(PROVIDER, lab, "pool/prod");

    List<StoredCi> members = allPages(c -> repository().byCompartment(lab, prod, 1, c), 1);

    assertThat(keys(members)).containsExactly("qemu/101", "qemu/102");
    assertThat(
            repository().byCompartment(lab, CiId.of(PROVIDER, lab, "pool/none"), 5, null).items())
        .isEmpty();
  }

  @Test
  void byRelationshipAnswersWhatRunsOnANodeAndWhatIsAttachedToANetwork() {
    ConnectionRef lab = Fixtures.freshConnection();
    cmdb().apply(complete(lab, T0, cluster(lab)));

    List<StoredCi> onPve1 =
        allPages(
            c -> repository().byRelationship(lab, RelationshipKind.RUNS_ON, "node/pve1", 1, c), 1);
    List<StoredCi> onVmbr0 =
        allPages(
            c ->
                repository()
                    .byRelationship(lab, RelationshipKind.ATTACHED_TO, "network/pve1/vmbr0", 10, c),
            10);
    List<StoredCi> onPve2 =
        allPages(
            c -> repository().byRelationship(lab, RelationshipKind.RUNS_ON, "node/pve2", 10, c),
            10);
    List<StoredCi> locatedOnPve1 =
        allPages(
            c -> repository().byRelationship(lab, RelationshipKind.LOCATED_ON, "node/pve1", 10, c),
            10);

    assertThat(keys(onPve1)).containsExactly("qemu/101", "qemu/102");
    assertThat(keys(onVmbr0)).containsExactly("qemu/101", "qemu/102");
    assertThat(keys(onPve2)).containsExactly("lxc/200");
    assertThat(keys(locatedOnPve1)).containsExactly("network/pve1/vmbr0", "storage/pve1/local-lvm");
  }

  @Test
  void aDeletedCiLeavesTheTypeCompartmentAndRelationshipQueriesButStaysInItsConnection() {
    ConnectionRef lab = Fixtures.freshConnection();
    List<ConfigurationItem> items = cluster(lab);
    cmdb().apply(complete(lab, T0, items));
    cmdb().apply(complete(lab, T0.plusSeconds(60), without(items, "qemu/102")));

    assertThat(
            keys(
                repository()
                    .byTenantAndType(lab.tenantId(), SemanticType.COMPUTE, 10, null)
                    .items()))
        .containsExactly("lxc/200", "qemu/101");
    assertThat(
            keys(
                repository()
                    .byCompartment(lab, CiId.of(PROVIDER, lab, "pool/prod"), 10, null)
                    .items()))
        .containsExactly("qemu/101");
    assertThat(
            keys(
                repository()
                    .byRelationship(lab, RelationshipKind.RUNS_ON, "node/pve1", 10, null)
                    .items()))
        .containsExactly("qemu/101");
    assertThat(repository().byConnection(lab, 50, null).items())
        .filteredOn(ci -> ci.nativeKey().equals("qemu/102"))
        .singleElement()
        .satisfies(ci -> assertThat(ci.status()).isEqualTo(CiStatus.RESOURCE_DELETED));
  }

  @Test
  void theTimelineListsEveryChangeNewestFirstAcrossPages() {
    ConnectionRef lab = Fixtures.freshConnection();
    List<ConfigurationItem> items = cluster(lab);
    cmdb().apply(complete(lab, T0, items));
    for (int cores = 5; cores <= 8; cores++) {
      int c = cores;
      cmdb()
          .apply(
              complete(
                  lab,
                  T0.plusSeconds(60L * cores),
                  changed(items, "qemu/101", vm -> withAttribute(vm, "cores", c))));
    }
    StoredCi vm = repository().find(lab, "qemu/101").orElseThrow();

    List<CiHistoryEntry> timeline = allPages(c -> repository().timeline(lab, vm.id(), 2, c), 2);

    assertThat(timeline)
        .extracting(CiHistoryEntry::configurationStateId)
        .containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(timeline.getFirst().change().changedProperties().getFirst().updatedValue())
        .isEqualTo(8L);
    assertThat(timeline.getLast().change().kind()).isEqualTo(ChangeKind.CREATED);
    assertThat(timeline.getFirst().expiresAt())
        .isEqualTo(T0.plusSeconds(480).plus(Duration.ofDays(400)));
  }

  @Test
  void anotherTenantsCiAndPoolIdsReadNothingFromTheTimelineOrTheCompartmentIndex() {
    ConnectionRef victim = Fixtures.freshConnection();
    List<ConfigurationItem> items = cluster(victim);
    cmdb().apply(complete(victim, T0, items));
    cmdb()
        .apply(
            complete(
                victim,
                T0.plusSeconds(60),
                changed(items, "qemu/101", vm -> withAttribute(vm, "cores", 9))));
    StoredCi vm = repository().find(victim, "qemu/101").orElseThrow();
    CiId pool = CiId.of(PROVIDER, victim, "pool/prod");
    // CI ids are hashes of guessable names: another tenant can compute them offline, and may even
    // name a connection with the same id as the victim's.
    ConnectionRef attacker = new ConnectionRef(Fixtures.freshConnection().tenantId(), "lab");
    ConnectionRef sameIdOtherTenant = new ConnectionRef(attacker.tenantId(), victim.connectionId());
    ConnectionRef sameTenantOtherConnection = new ConnectionRef(victim.tenantId(), "elsewhere");
    cmdb().apply(complete(sameIdOtherTenant, T0, cluster(sameIdOtherTenant)));

    for (ConnectionRef other : List.of(attacker, sameIdOtherTenant, sameTenantOtherConnection)) {
      assertThat(repository().timeline(other, vm.id(), 10, null).items()).as("%s", other).isEmpty();
      assertThat(repository().byCompartment(other, pool, 10, null).items())
          .as("%s", other)
          .isEmpty();
    }
    assertThat(repository().timeline(victim, vm.id(), 10, null).items()).hasSize(2);
    assertThat(keys(repository().byCompartment(victim, pool, 10, null).items()))
        .containsExactly("qemu/101", "qemu/102");
  }

  @Test
  void aWriteComputedFromAnOutdatedVersionIsRejectedAndStoresNothingOfItsTransaction() {
    ConnectionRef lab = Fixtures.freshConnection();
    List<ConfigurationItem> items = cluster(lab);
    cmdb().apply(complete(lab, T0, items));
    StoredCi web = repository().find(lab, "qemu/101").orElseThrow();
    StoredCi db = repository().find(lab, "qemu/102").orElseThrow();
    CiWrite fresh = update(web, web.version(), 2, 2);
    CiWrite outdated = update(db, db.version(), 3, 2);
    // Another writer moves qemu/102 on after `outdated` was computed.
    repository().write(List.of(update(db, db.version(), 2, 2)));

    assertThatThrownBy(() -> repository().write(List.of(fresh, outdated)))
        .isInstanceOf(CiConflictException.class);
    assertThat(repository().find(lab, "qemu/101").orElseThrow()).isEqualTo(web);
    assertThat(repository().timeline(lab, web.id(), 10, null).items()).hasSize(1);
  }

  @Test
  void aSecondHistoryEntryForTheSameStateIsRejected() {
    ConnectionRef lab = Fixtures.freshConnection();
    cmdb().apply(complete(lab, T0, cluster(lab)));
    StoredCi web = repository().find(lab, "qemu/101").orElseThrow();
    repository().write(List.of(update(web, web.version(), 2, 2)));
    StoredCi now = repository().find(lab, "qemu/101").orElseThrow();

    // Right version, but state 2 is recorded already.
    assertThatThrownBy(() -> repository().write(List.of(update(now, now.version(), 3, 2))))
        .isInstanceOf(CiConflictException.class);
    assertThat(repository().timeline(lab, web.id(), 10, null).items()).hasSize(2);
  }

  @Test
  void theDiscoveryStateIsVersioned() {
    ConnectionRef lab = Fixtures.freshConnection();
    DiscoveryState first =
        repository()
            .saveDiscoveryState(
                new DiscoveryState(lab, new TreeMap<>(Map.of("lastTask", "a")), T0, 0), 0);

    assertThat(first.version()).isEqualTo(1);
    assertThat(repository().discoveryState(lab)).contains(first);
    assertThatThrownBy(
            () ->
                repository()
                    .saveDiscoveryState(
                        new DiscoveryState(lab, new TreeMap<>(Map.of("lastTask", "b")), T0, 0), 0))
        .isInstanceOf(CiConflictException.class);
    assertThat(repository().discoveryState(lab).orElseThrow().providerState())
        .containsEntry("lastTask", "a");
  }

  @Test
  void latestRunsAreNewestFirst() {
    ConnectionRef lab = Fixtures.freshConnection();
    for (int i = 0; i < 4; i++) {
      repository()
          .saveRun(
              new RunRecord(
                  lab,
                  T0.plusSeconds(900L * i),
                  T0.plusSeconds(900L * i + 3),
                  i,
                  0,
                  0,
                  0,
                  9 - i,
                  0,
                  12,
                  1,
                  2,
                  i == 2 ? Set.of("node/pve2") : Set.of(),
                  i == 2 ? List.of("SCOPE_UNREACHABLE node/pve2: timeout") : List.of()));
    }

    List<RunRecord> latest = repository().latestRuns(lab, 2);

    assertThat(latest).extracting(RunRecord::created).containsExactly(3, 2);
    assertThat(latest.get(1).partialScopes()).containsExactly("node/pve2");
    assertThat(latest.get(1).errors()).containsExactly("SCOPE_UNREACHABLE node/pve2: timeout");
    assertThat(latest.get(0).duration()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aCursorThatWasNotIssuedIsRefused() {
    ConnectionRef lab = Fixtures.freshConnection();
    assertThatThrownBy(() -> repository().byConnection(lab, 5, "not a cursor!"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A write from {@code expectedVersion} that sets the CI's cores, recorded as {@code stateId}. */
  private static CiWrite update(StoredCi ci, long expectedVersion, int cores, long stateId) {
    ConfigurationItem content = withAttribute(ci.item(), "cores", cores).withStatus(CiStatus.OK);
    CiChange change = new CiChange(ChangeKind.UPDATED, List.of(), null, T0.plusSeconds(stateId));
    StoredCi next =
        new StoredCi(
            content,
            stateId,
            content.contentHash(),
            ci.firstSeen(),
            change.capturedAt(),
            expectedVersion + 1,
            change);
    return new CiWrite(
        expectedVersion,
        next,
        new CiHistoryEntry(
            ci.id(),
            ci.connection(),
            ci.nativeKey(),
            stateId,
            CiStatus.OK,
            change,
            T0.plus(Duration.ofDays(1))));
  }
}
