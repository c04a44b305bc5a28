package dev.nimbus.cmdb;

import static dev.nimbus.cmdb.Fixtures.T0;
import static dev.nimbus.cmdb.Fixtures.changed;
import static dev.nimbus.cmdb.Fixtures.cluster;
import static dev.nimbus.cmdb.Fixtures.complete;
import static dev.nimbus.cmdb.Fixtures.snapshot;
import static dev.nimbus.cmdb.Fixtures.withAttribute;
import static dev.nimbus.cmdb.Fixtures.withoutScope;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.aws.StreamTail;
import dev.nimbus.cmdb.dynamodb.CiItemCodec;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.cmdb.dynamodb.ItemSize;
import dev.nimbus.model.Attributes;
import dev.nimbus.model.Attribution;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.PropertyChange;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** The acceptance of issue 5, on the AWS emulator: writes, stream records, history, races. */
@ExtendWith(AwsEmulatorExtension.class)
class CmdbServiceIT {
  private final AwsTestEnvironment aws;
  private DynamoDbClient dynamo;
  private DynamoDbStreamsClient streams;
  private CmdbService cmdb;

  CmdbServiceIT(AwsTestEnvironment aws) {
    this.aws = aws;
  }

  @BeforeEach
  void setUp() {
    dynamo = aws.clients().dynamoDb();
    streams = aws.clients().dynamoDbStreams();
    cmdb = service(CmdbSettings.defaults());
  }

  @AfterEach
  void tearDown() {
    dynamo.close();
    streams.close();
  }

  private CmdbService service(CmdbSettings settings) {
    return service(dynamo, settings);
  }

  private CmdbService service(DynamoDbClient client, CmdbSettings settings) {
    return new CmdbService(
        new DynamoDbCiRepository(client, aws.tableName(), settings), settings, Clock.systemUTC());
  }

  /** The stream records of one connection's CI and history items since the tail's last poll. */
  private List<Record> recordsOf(StreamTail tail, ConnectionRef connection) {
    String prefix = CmdbKeys.connectionPk(connection);
    return tail.poll().stream()
        .filter(
            r -> {
              Map<String, AttributeValue> image =
                  r.dynamodb().hasNewImage() ? r.dynamodb().newImage() : r.dynamodb().oldImage();
              AttributeValue tenant = image.get("tenantId");
              AttributeValue conn = image.get("connectionId");
              return tenant != null
                  && prefix.equals("CONN#" + tenant.s() + "#" + (conn == null ? "" : conn.s()));
            })
        .toList();
  }

  private static boolean isCi(Record r) {
    return CiItemCodec.isCi(r.dynamodb().newImage());
  }

  @Test
  void applyingTheSameSnapshotTwiceWritesNoCiTheSecondTimeAndTheStreamCarriesNothing() {
    ConnectionRef lab = Fixtures.freshConnection();
    List<ConfigurationItem> items = cluster(lab);
    StreamTail tail = new StreamTail(dynamo, streams, aws.tableName()).skipToEnd();

    ApplyResult first = cmdb.apply(complete(lab, T0, items));
    List<Record> firstRecords = recordsOf(tail, lab);
    ApplyResult second = cmdb.apply(complete(lab, T0.plusSeconds(900), items));
    List<Record> secondRecords = recordsOf(tail, lab);

    assertThat(first.created()).isEqualTo(items.size());
    assertThat(firstRecords.stream().filter(CmdbServiceIT::isCi))
        .hasSize(items.size())
        .allSatisfy(r -> assertThat(r.eventName()).isEqualTo(OperationType.INSERT));
    assertThat(second.unchanged()).isEqualTo(items.size());
    assertThat(second.writeRequests()).isZero();
    assertThat(second.writtenItems()).isZero();
    assertThat(secondRecords).isEmpty();
  }

  @Test
  void aChangedAttributeYieldsOneHistoryItemAndOneCiStreamRecordWithPreviousAndUpdatedValue() {
    ConnectionRef lab = Fixtures.freshConnection();
    List<ConfigurationItem> items = cluster(lab);
    cmdb.apply(complete(lab, T0, items));
    StreamTail tail = new StreamTail(dynamo, streams, aws.tableName()).skipToEnd();
    Instant t1 = T0.plusSeconds(900);
    Attribution bob = new Attribution("bob@pam", "UPID:pve1:000A1B2C:qmconfig:101", "qmconfig", t1);

    ApplyResult result =
        cmdb.apply(
            snapshot(
                lab,
                t1,
                changed(items, "qemu/101", vm -> withAttribute(vm, "memoryMiB", 16384)),
                Fixtures.ALL_SCOPES,
                Set.of(),
                Map.of("qemu/101", bob),
                Map.of()));
    List<Record> records = recordsOf(tail, lab);

    assertThat(result.updated()).isEqualTo(1);
    assertThat(result.writtenItems()).isEqualTo(2);
    Record ciRecord = records.stream().filter(CmdbServiceIT::isCi).findFirst().orElseThrow();
    assertThat(records.stream().filter(CmdbServiceIT::isCi)).hasSize(1);
    assertThat(ciRecord.eventName()).isEqualTo(OperationType.MODIFY);
    StoredCi before = CiItemCodec.decode(ciRecord.dynamodb().oldImage());
    StoredCi after = CiItemCodec.decode(ciRecord.dynamodb().newImage());
    assertThat(before.item().attributes().get("memoryMiB")).isEqualTo(8192L);
    assertThat(after.item().attributes().get("memoryMiB")).isEqualTo(16384L);
    assertThat(after.status()).isEqualTo(CiStatus.OK);
    assertThat(after.configurationStateId()).isEqualTo(2);
    assertThat(after.lastChange().kind()).isEqualTo(ChangeKind.UPDATED);
    assertThat(after.lastChange().changedProperties())
        .containsExactly(
            new PropertyChange("attributes.memoryMiB", 8192L, 16384L, PropertyChange.Kind.UPDATE));
    assertThat(after.lastChange().attribution()).isEqualTo(bob);

    List<Record> historyRecords =
        records.stream().filter(r -> CiItemCodec.isHistory(r.dynamodb().newImage())).toList();
    assertThat(historyRecords).hasSize(1);
    assertThat(historyRecords.getFirst().eventName()).isEqualTo(OperationType.INSERT);
    assertThat(records).hasSize(2);
    CiHistoryEntry entry =
        CiItemCodec.decodeHistory(historyRecords.getFirst().dynamodb().newImage());
    assertThat(entry.configurationStateId()).isEqualTo(2);
    assertThat(entry.change()).isEqualTo(after.lastChange());
    assertThat(cmdb.repository().timeline(after.connection(), after.id(), 10, null).items())
        .extracting(h -> h.change().kind())
        .containsExactly(ChangeKind.UPDATED, ChangeKind.CREATED);
  }

  @Test
  void anUnreachableScopeMarksItsCisInsteadOfDeletingThemAndTheyRecoverWhenSeenAgain() {
    ConnectionRef lab = Fixtures.freshConnection();
    List<ConfigurationItem> items = cluster(lab);
    cmdb.apply(complete(lab, T0, items));
    DiscoverySnapshot pve2Down =
        snapshot(
            lab,
            T0.plusSeconds(60),
            withoutScope(items, "node/pve2"),
            Set.of("cluster", "node/pve1"),
            Set.of("node/pve2"),
            Map.of(),
            Map.of());

    ApplyResult down = cmdb.apply(pve2Down);
    StoredCi whileDown = cmdb.repository().find(lab, "lxc/200").orElseThrow();
    ApplyResult stillDown = cmdb.apply(pve2Down);
    ApplyResult back = cmdb.apply(complete(lab, T0.plusSeconds(120), items));

    assertThat(down.deleted()).isZero();
    assertThat(down.unreachable()).isEqualTo(2);
    assertThat(whileDown.status()).isEqualTo(CiStatus.UNREACHABLE);
    assertThat(whileDown.item().attributes())
        .isEqualTo(Fixtures.find(items, "lxc/200").attributes());
    assertThat(stillDown.writeRequests()).isZero();
    assertThat(back.recovered()).isEqualTo(2);
    StoredCi recovered = cmdb.repository().find(lab, "lxc/200").orElseThrow();
    assertThat(recovered.status()).isEqualTo(CiStatus.OK);
    assertThat(recovered.configurationStateId()).isEqualTo(3);
    assertThat(cmdb.repository().timeline(recovered.connection(), recovered.id(), 10, null).items())
        .extracting(h -> h.change().kind())
        .containsExactly(ChangeKind.RECOVERED, ChangeKind.UNREACHABLE, ChangeKind.CREATED);
  }

  @Test
  void twoRunsOfTheSameConnectionAtOnceLoseNoUpdateAndDuplicateNoHistory() throws Exception {
    ConnectionRef lab = Fixtures.freshConnection();
    List<ConfigurationItem> items = cluster(lab);
    CmdbSettings twoPerTransaction = CmdbSettings.defaults().withCisPerTransaction(2);
    service(twoPerTransaction).apply(complete(lab, T0, items));
    DiscoverySnapshot a =
        complete(lab, T0.plusSeconds(10), ConcurrentApplyTest.everyComputeWith(items, "cores", 6));
    DiscoverySnapshot b =
        complete(
            lab,
            T0.plusSeconds(20),
            ConcurrentApplyTest.everyComputeWith(items, "memoryMiB", 1024));
    ApplyResult[] results = new ApplyResult[2];

    try (DynamoDbClient clientA = OneRequestAtATime.dynamoDb(aws);
        DynamoDbClient clientB = OneRequestAtATime.dynamoDb(aws)) {
      CmdbService runA = service(clientA, twoPerTransaction);
      CmdbService runB = service(clientB, twoPerTransaction);
      ConcurrentApplyTest.runTogether(
          () -> results[0] = runA.apply(a), () -> results[1] = runB.apply(b));
    }

    Consistency.assertConsistent(cmdb.repository(), lab, List.of(a, b));
    for (ConfigurationItem expected : b.items()) {
      assertThat(cmdb.repository().find(lab, expected.nativeKey()).orElseThrow().contentHash())
          .as("the newer snapshot wins for %s", expected.nativeKey())
          .isEqualTo(expected.contentHash());
    }
    for (StoredCi ci : cmdb.repository().allOfConnection(lab)) {
      if (ci.item().semanticType() == dev.nimbus.model.SemanticType.COMPUTE) {
        assertThat(ci.configurationStateId()).isBetween(2L, 3L);
      }
    }
    System.out.printf(
        "concurrent apply: run A wrote %d CIs with %d conflicts, run B wrote %d with %d%n",
        results[0].changed(), results[0].conflicts(), results[1].changed(), results[1].conflicts());
  }

  @Test
  void twoRunsOfTheSameSnapshotAtOnceRecordEachCiOnce() throws Exception {
    ConnectionRef lab = Fixtures.freshConnection();
    List<ConfigurationItem> items = cluster(lab);
    DiscoverySnapshot same = complete(lab, T0, items);
    ApplyResult[] results = new ApplyResult[2];

    try (DynamoDbClient clientA = OneRequestAtATime.dynamoDb(aws);
        DynamoDbClient clientB = OneRequestAtATime.dynamoDb(aws)) {
      CmdbService runA = service(clientA, CmdbSettings.defaults().withCisPerTransaction(3));
      CmdbService runB = service(clientB, CmdbSettings.defaults().withCisPerTransaction(3));
      ConcurrentApplyTest.runTogether(
          () -> results[0] = runA.apply(same), () -> results[1] = runB.apply(same));
    }

    Consistency.assertConsistent(cmdb.repository(), lab, List.of(same));
    assertThat(cmdb.repository().allOfConnection(lab))
        .hasSize(items.size())
        .allSatisfy(ci -> assertThat(ci.configurationStateId()).isEqualTo(1));
    assertThat(results[0].created() + results[1].created()).isEqualTo(items.size());
  }

  @Test
  void aGuestWith30Nics30DisksLongTagsAndDescriptionStaysFarUnderTheItemLimit() {
    ConnectionRef lab = Fixtures.freshConnection();
    ConfigurationItem big = Fixtures.bigGuest(lab);
    cmdb.apply(complete(lab, T0, List.of(big)));
    // Change everything, so the CI item also carries a maximal lastChange.
    Map<String, Object> rewritten = new LinkedHashMap<>();
    big.attributes().asMap().forEach((k, v) -> rewritten.put(k, v instanceof Long l ? l + 1 : v));
    rewritten.put("description", "Å".repeat(8192));
    rewritten.put("nics", List.of());
    cmdb.apply(
        complete(
            lab,
            T0.plusSeconds(60),
            List.of(Fixtures.withAttributes(big, Attributes.of(rewritten)))));

    Map<String, AttributeValue> ciItem =
        dynamo
            .getItem(
                b ->
                    b.tableName(aws.tableName())
                        .consistentRead(true)
                        .key(
                            Map.of(
                                "PK", AttributeValue.fromS(CmdbKeys.connectionPk(lab)),
                                "SK", AttributeValue.fromS(CmdbKeys.ciSk("qemu/4242")))))
            .item();
    StoredCi stored = CiItemCodec.decode(ciItem);
    long size = ItemSize.of(ciItem);

    System.out.printf("big guest CI item after a full change: %,d bytes%n", size);
    assertThat(stored.configurationStateId()).isEqualTo(2);
    assertThat(stored.item().attributes().get("description")).isEqualTo("Å".repeat(8192));
    assertThat(size).isLessThan(ItemSize.LIMIT / 4);
  }
}
