package dev.nimbus.pulumi.runner.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.deployments.DeploymentRun;
import dev.nimbus.deployments.Operation;
import dev.nimbus.deployments.ResourceStep;
import dev.nimbus.deployments.RunStatus;
import dev.nimbus.deployments.dynamodb.DynamoDbDeploymentRunStore;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The run store on the AWS emulator, in the table exactly as template.yaml declares it. */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoDbDeploymentRunStoreIT {
  static final Instant T0 = Instant.parse("2026-11-30T07:00:00Z");
  static final String VM_URN =
      "urn:pulumi:acme.lab::nimbus-vm::proxmoxve:index/vmLegacy:VmLegacy::app-01";

  DynamoDbClient dynamo;
  String table;
  DynamoDbDeploymentRunStore store;

  @BeforeAll
  void setUp(AwsTestEnvironment aws) {
    dynamo = aws.clients().dynamoDb();
    table = aws.tableName();
    store =
        new DynamoDbDeploymentRunStore(
            dynamo, table, Duration.ofDays(400), Clock.fixed(T0, ZoneOffset.UTC));
  }

  static DeploymentRun run(
      ConnectionRef ref, String runId, String program, Operation op, RunStatus status) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("vmid", 130);
    inputs.put("sshKeys", List.of("ssh-ed25519 AAAAC3Nza alice"));
    inputs.put("cloudInit", Map.of("user", "deploy", "dhcp", true));
    return new DeploymentRun(
        runId,
        ref,
        program,
        ref.tenantId() + "." + ref.connectionId(),
        op,
        status,
        T0,
        status == RunStatus.RUNNING ? null : T0.plusSeconds(46),
        inputs,
        "3f1c",
        List.of(
            new ResourceStep(
                "create",
                VM_URN,
                "proxmoxve:index/vmLegacy:VmLegacy",
                List.of("cpu", "memory"),
                Map.of("cpu", "ADD"),
                true,
                false,
                Map.of("vmId", 130, "ipv4Addresses", List.of(List.of("10.20.0.30"))))),
        Map.of("create", 2),
        List.of(),
        Map.of("qemu/130", VM_URN));
  }

  @Test
  void aRunIsStoredUnderTheConnectionsPartitionAndReadBackWhole() {
    var ref = new ConnectionRef("acme", "whole");
    DeploymentRun running =
        run(ref, "20261130T070000000Z-0000000a", "vm", Operation.UP, RunStatus.RUNNING);
    DeploymentRun done =
        running.finish(
            RunStatus.SUCCEEDED,
            T0.plusSeconds(46),
            running.steps(),
            running.summary(),
            List.of("warning: x"),
            running.linkedCis());
    long before = store.writes();

    store.save(running);
    store.save(done);

    assertThat(store.writes() - before).isEqualTo(2);
    assertThat(store.find(ref, running.runId())).contains(done);
    assertThat(store.find(ref, "20261130T070000000Z-ffffffff")).isEmpty();
    // Another tenant's connection with the same id does not see it.
    assertThat(store.find(new ConnectionRef("other", "whole"), running.runId())).isEmpty();

    Map<String, AttributeValue> raw =
        dynamo
            .getItem(
                b ->
                    b.tableName(table)
                        .key(
                            Map.of(
                                "PK", AttributeValue.fromS("CONN#acme#whole"),
                                "SK", AttributeValue.fromS("DEPLOY#" + running.runId()))))
            .item();
    assertThat(raw.get("itemType").s()).isEqualTo("DEPLOY_RUN");
    assertThat(raw.get("status").s()).isEqualTo("SUCCEEDED");
    // Expires with the retention after its start (the table's TTL attribute).
    assertThat(Long.parseLong(raw.get("expiresAt").n()))
        .isEqualTo(T0.plus(Duration.ofDays(400)).getEpochSecond());
    assertThat(raw).doesNotContainKeys("GSI1PK", "GSI2PK");
  }

  @Test
  void runsComeNewestFirstAndTheLatestOfAProgramIsFound() {
    var ref = new ConnectionRef("acme", "order");
    store.save(
        run(ref, "20261130T070000000Z-00000001", "vm", Operation.PREVIEW, RunStatus.SUCCEEDED));
    store.save(run(ref, "20261130T070500000Z-00000002", "vm", Operation.UP, RunStatus.SUCCEEDED));
    store.save(
        run(ref, "20261130T071000000Z-00000003", "pool", Operation.PREVIEW, RunStatus.FAILED));

    assertThat(store.runs(ref))
        .extracting(DeploymentRun::runId)
        .containsExactly(
            "20261130T071000000Z-00000003",
            "20261130T070500000Z-00000002",
            "20261130T070000000Z-00000001");
    assertThat(store.latest(ref, "vm").orElseThrow().runId())
        .isEqualTo("20261130T070500000Z-00000002");
    assertThat(store.latest(ref, "pool").orElseThrow().status()).isEqualTo(RunStatus.FAILED);
    assertThat(store.latest(ref, "sdn-vnet")).isEmpty();
  }

  @Test
  void linksAreReplacedPerStackAndWriteOnlyWhatChanged() {
    var ref = new ConnectionRef("acme", "links");
    long before = store.writes();

    store.replaceLinks(ref, "nimbus-vm/acme.links", Map.of("qemu/130", VM_URN));
    store.replaceLinks(
        ref, "nimbus-pool/acme.links", Map.of("pool/web", "urn:...:PoolLegacy::web"));
    assertThat(store.writes() - before).isEqualTo(2);

    // Same links again: nothing written.
    store.replaceLinks(ref, "nimbus-vm/acme.links", Map.of("qemu/130", VM_URN));
    assertThat(store.writes() - before).isEqualTo(2);

    // The VM stack now manages 131 instead of 130: one delete, one put; the pool stack untouched.
    store.replaceLinks(ref, "nimbus-vm/acme.links", Map.of("qemu/131", VM_URN + "2"));
    assertThat(store.writes() - before).isEqualTo(4);
    assertThat(store.links(ref, "nimbus-vm/acme.links"))
        .isEqualTo(Map.of("qemu/131", VM_URN + "2"));
    assertThat(store.links(ref, "nimbus-pool/acme.links")).containsOnlyKeys("pool/web");
    assertThat(store.linkOf(ref, "qemu/131").orElseThrow())
        .isEqualTo(Map.entry("nimbus-vm/acme.links", VM_URN + "2"));
    assertThat(store.linkOf(ref, "qemu/130")).isEmpty();

    // A destroy leaves the stack no links.
    store.replaceLinks(ref, "nimbus-vm/acme.links", Map.of());
    assertThat(store.links(ref, "nimbus-vm/acme.links")).isEmpty();
    assertThat(store.writes() - before).isEqualTo(5);
  }

  @Test
  void theCmdbDoesNotSeeRunsOrLinksInTheConnectionsPartition() {
    var ref = new ConnectionRef("acme", "shared");
    store.save(run(ref, "20261130T070000000Z-00000001", "vm", Operation.UP, RunStatus.SUCCEEDED));
    store.replaceLinks(ref, "nimbus-vm/acme.shared", Map.of("qemu/130", VM_URN));

    var cmdb = new DynamoDbCiRepository(dynamo, table, CmdbSettings.defaults());
    assertThat(cmdb.allOfConnection(ref)).isEmpty();
    assertThat(cmdb.latestRuns(ref, 10)).isEmpty();
    assertThat(cmdb.discoveryState(ref)).isEmpty();
  }

  @Test
  void longErrorsAreCappedToKeepTheItemUnderDynamoDbsLimit() {
    var ref = new ConnectionRef("acme", "long");
    DeploymentRun failed =
        run(ref, "20261130T070000000Z-00000001", "vm", Operation.UP, RunStatus.RUNNING)
            .finish(
                RunStatus.FAILED,
                T0.plusSeconds(5),
                List.of(),
                Map.of(),
                java.util.stream.IntStream.range(0, 60).mapToObj(i -> "e".repeat(10_000)).toList(),
                Map.of());

    store.save(failed);

    List<String> errors = store.find(ref, failed.runId()).orElseThrow().errors();
    assertThat(errors).hasSize(DynamoDbDeploymentRunStore.MAX_ERRORS + 1);
    assertThat(errors.getFirst())
        .hasSize(
            DynamoDbDeploymentRunStore.MAX_ERROR_CHARS + "... (6000 more characters)".length());
    assertThat(errors.getLast()).isEqualTo("... 10 more errors");
  }
}
