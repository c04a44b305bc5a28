package dev.nimbus.cmdb;

import static dev.nimbus.cmdb.Fixtures.T0;
import static dev.nimbus.cmdb.Fixtures.changed;
import static dev.nimbus.cmdb.Fixtures.cluster;
import static dev.nimbus.cmdb.Fixtures.complete;
import static dev.nimbus.cmdb.Fixtures.freshConnection;
import static dev.nimbus.cmdb.Fixtures.withAttribute;
import static dev.nimbus.cmdb.Fixtures.without;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.aws.FaultInjectingProxy;
import dev.nimbus.testing.aws.FaultKind;
import dev.nimbus.testing.aws.FaultPlan;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;

/**
 * The CMDB's writes through {@link FaultInjectingProxy} on the AWS emulator: throttling, 500s,
 * answers held past the attempt timeout and connections dropped after the write was applied. The
 * SDK retries; a retried transaction that was already applied must be recognised as applied, so
 * every change is recorded exactly once (state ids 1..n, no gap, no duplicate) and counted as the
 * change it was.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CmdbUnderTableFaultsIT {
  private static final String TRANSACT = "DynamoDB_20120810.TransactWriteItems";
  private static final CmdbSettings SETTINGS = CmdbSettings.defaults().withCisPerTransaction(3);

  private AwsTestEnvironment aws;
  private FaultInjectingProxy proxy;
  private AwsClients faulty;
  private DynamoDbCiRepository direct;

  @BeforeAll
  void start(AwsTestEnvironment aws) {
    this.aws = aws;
    proxy = FaultInjectingProxy.start(aws.endpoint(), FaultPlan.none());
    // A short attempt timeout, so a held answer costs a second, not ten.
    System.setProperty("nimbus.aws.attempt-timeout", "1s");
    try {
      faulty =
          AwsClients.create(
              Region.of(aws.region()),
              StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
              proxy.endpoint());
      faulty.dynamoDb();
    } finally {
      System.clearProperty("nimbus.aws.attempt-timeout");
    }
    direct = new DynamoDbCiRepository(aws.clients().dynamoDb(), aws.tableName(), SETTINGS);
  }

  @AfterAll
  void stop() {
    if (faulty != null) {
      faulty.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private CmdbService faultyCmdb() {
    return new CmdbService(
        new DynamoDbCiRepository(faulty.dynamoDb(), aws.tableName(), SETTINGS),
        SETTINGS,
        Clock.systemUTC());
  }

  @Test
  void aTransactionAppliedButNotAnsweredIsRecognisedAsDoneAndCountedAsTheChangeItWas() {
    ConnectionRef lab = freshConnection();
    List<ConfigurationItem> items = cluster(lab);
    // The first attempt of every transaction is applied and its answer lost; the SDK retries it.
    proxy.plan(FaultPlan.none().injectAt(FaultKind.DROP_AFTER_APPLY, TRANSACT, 0, 2, 4, 6));
    DiscoverySnapshot first = complete(lab, T0, items);

    ApplyResult created = faultyCmdb().apply(first);

    assertThat(proxy.injected(FaultKind.DROP_AFTER_APPLY, TRANSACT)).isEqualTo(3);
    assertThat(created.created()).isEqualTo(items.size());
    assertThat(created.unchanged()).isZero();
    assertThat(created.written()).hasSize(items.size());

    List<ConfigurationItem> next =
        without(changed(items, "qemu/101", vm -> withAttribute(vm, "cores", 6)), "lxc/200");
    DiscoverySnapshot second = complete(lab, T0.plusSeconds(60), next);
    proxy.plan(FaultPlan.none().injectAt(FaultKind.DROP_AFTER_APPLY, TRANSACT, 0));

    ApplyResult changes = faultyCmdb().apply(second);

    assertThat(changes.updated()).isEqualTo(1);
    assertThat(changes.deleted()).isEqualTo(1);
    Consistency.assertConsistent(direct, lab, List.of(first, second));
    assertThat(direct.find(lab, "qemu/101").orElseThrow().configurationStateId()).isEqualTo(2);
    assertThat(direct.find(lab, "lxc/200").orElseThrow().status())
        .isEqualTo(CiStatus.RESOURCE_DELETED);
  }

  @ParameterizedTest
  @EnumSource(FaultKind.class)
  void underEachFaultEveryChangeIsRecordedExactlyOnceAndNothingIsLost(FaultKind kind) {
    ConnectionRef lab = freshConnection();
    List<ConfigurationItem> items = cluster(lab);
    List<DiscoverySnapshot> snapshots = new ArrayList<>();
    snapshots.add(complete(lab, T0, items));
    snapshots.add(
        complete(
            lab,
            T0.plusSeconds(60),
            changed(items, "qemu/101", vm -> withAttribute(vm, "cores", 6))));
    snapshots.add(
        complete(
            lab,
            T0.plusSeconds(120),
            without(
                changed(
                    snapshots.getLast().items(),
                    "qemu/102",
                    vm -> withAttribute(vm, "memoryMiB", 2048)),
                "lxc/200")));
    snapshots.add(complete(lab, T0.plusSeconds(180), snapshots.getLast().items()));
    proxy.plan(
        FaultPlan.seeded(kind.ordinal() + 17L)
            .inject(
                kind,
                kind == FaultKind.TIMEOUT ? 0.2 : 0.35,
                FaultPlan.service("DynamoDB_20120810")));
    proxy.resetCounts();
    int failedApplies = 0;

    for (DiscoverySnapshot s : snapshots) {
      // As the queue would: an apply that failed (the SDK gave up) is run again until it passes.
      for (int attempt = 1; ; attempt++) {
        try {
          faultyCmdb().apply(s);
          break;
        } catch (SdkException | CiConflictException e) {
          failedApplies++;
          assertThat(attempt).as("apply of %s still failing", s.capturedAt()).isLessThan(10);
        }
      }
    }

    assertThat(proxy.injected(kind).values().stream().mapToLong(Long::longValue).sum())
        .as("faults injected (%d applies failed and were run again)", failedApplies)
        .isGreaterThanOrEqualTo(3);
    Consistency.assertConsistent(direct, lab, snapshots);
    Map<String, StoredCi> stored =
        direct.allOfConnection(lab).stream()
            .collect(Collectors.toMap(StoredCi::nativeKey, Function.identity()));
    assertThat(stored.keySet())
        .containsExactlyInAnyOrderElementsOf(
            items.stream().map(ConfigurationItem::nativeKey).toList());
    for (ConfigurationItem expected : snapshots.getLast().items()) {
      StoredCi ci = stored.get(expected.nativeKey());
      assertThat(ci.contentHash()).as(expected.nativeKey()).isEqualTo(expected.contentHash());
      assertThat(ci.status().isLive()).isTrue();
    }
    assertThat(stored.get("qemu/101").configurationStateId()).isEqualTo(2);
    assertThat(stored.get("qemu/102").configurationStateId()).isEqualTo(2);
    assertThat(stored.get("lxc/200").configurationStateId()).isEqualTo(2);
    assertThat(stored.get("lxc/200").status()).isEqualTo(CiStatus.RESOURCE_DELETED);
    assertThat(stored.get("cluster").configurationStateId()).isEqualTo(1);
    proxy.plan(FaultPlan.none());
  }
}
