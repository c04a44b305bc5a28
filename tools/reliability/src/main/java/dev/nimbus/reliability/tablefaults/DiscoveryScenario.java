package dev.nimbus.reliability.tablefaults;

import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.Connection;
import dev.nimbus.connections.ConnectionDraft;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.RunSummary;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.discovery.DiscoveryApplication;
import dev.nimbus.discovery.DiscoveryRequest;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import dev.nimbus.pvesim.Acl;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.aws.FaultKind;
import dev.nimbus.testing.aws.FaultPlan;
import dev.nimbus.testing.lambda.LambdaHarness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Discovery through the real {@code runDiscovery} handler with every AWS call (DynamoDB, KMS) going
 * through the fault proxy. Each scenario run starts a fresh simulated cluster with two connections
 * to it: the reference, run with the proxy breaking nothing, and the faulted one, run right after
 * on the same cluster state with the proxy breaking requests by the plan. Three runs: the first
 * (everything created), one after a change in the cluster (a config edit and a deleted guest) and
 * one over the unchanged cluster.
 *
 * <p>A faulted run either succeeds, and then its CIs must equal the reference's (status, content
 * and state id), or fails, and then nothing may be lost, deleted or rewritten beyond what the
 * reference shows for that cluster state; it is then delivered again, as SQS would, until it
 * succeeds. After every run each CI's history state ids must be exactly 1..n.
 */
public final class DiscoveryScenario implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_DELIVERIES = 10;
  private static final AtomicInteger CLUSTERS = new AtomicInteger();

  private final FaultBench bench;
  private final LambdaHarness discovery;
  private final ConnectionService connections;
  private final DynamoDbCiRepository cis;

  public DiscoveryScenario(FaultBench bench) {
    this.bench = bench;
    String queue = bench.queue("discovery");
    Map<String, String> props =
        Map.ofEntries(
            Map.entry("TABLE_NAME", bench.tableName()),
            Map.entry("TOKEN_KEY_ID", bench.keyAlias()),
            Map.entry("DISCOVERY_QUEUE_URL", queue),
            Map.entry("nimbus.discovery.table-name", bench.tableName()),
            Map.entry("nimbus.discovery.token-key-id", bench.keyAlias()),
            Map.entry("nimbus.discovery.queue-url", queue),
            Map.entry("nimbus.discovery.sweep-runs", "24"),
            Map.entry("nimbus.discovery.max-concurrent-requests", "16"),
            Map.entry("nimbus.discovery.run-budget", "PT2M"),
            Map.entry("nimbus.discovery.guest-agent", "true"),
            Map.entry("nimbus.discovery.history-retention-days", "400"),
            Map.entry("NIMBUS_AWS_ATTEMPT_TIMEOUT", FaultBench.ATTEMPT_TIMEOUT.toString()));
    this.discovery =
        LambdaHarness.forApplication(DiscoveryApplication.class)
            .function("runDiscovery")
            .properties(props)
            .awsEmulator(bench.proxy().endpoint(), bench.backend().region())
            .start();
    this.connections =
        ConnectionService.create(
            bench.direct(),
            new ConnectionsConfig(bench.tableName(), bench.keyAlias()),
            Clock.systemUTC());
    this.cis =
        new DynamoDbCiRepository(
            bench.direct().dynamoDb(), bench.tableName(), CmdbSettings.defaults());
  }

  /** One scenario run under {@code kind}, its faults drawn from {@code seed}. */
  public Tally run(FaultKind kind, long seed) {
    int n = CLUSTERS.incrementAndGet();
    bench.resetTable();
    try (PveSimulator sim =
        PveSimulator.start(
            // A single node with three guests: a few CIs keep moto's transactions (a copy of the
            // whole table per item) quick; the demo cluster's 48 take seconds each on a loaded
            // machine and measure the emulator, not the code.
            SimulatorConfig.standalone("pve1")
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO))) {
      ApiToken token = sim.createToken("discovery@pve", "nimbus", Roles.PVE_AUDITOR, true);
      // Fast change detection, as the end-to-end test grants it: the cluster log of every user.
      sim.admin().createRole("NimbusChangeLog", "Sys.Syslog");
      sim.admin().grant(Acl.of("/", "discovery@pve", "NimbusChangeLog"));
      sim.admin().grant(Acl.of("/", "discovery@pve!nimbus", "NimbusChangeLog"));
      String tenant = "faults-" + n;
      ConnectionRef reference = new ConnectionRef(tenant, "reference");
      ConnectionRef faulted = new ConnectionRef(tenant, "faulted");
      register(sim, token, reference);
      register(sim, token, faulted);
      Counter c = new Counter();
      bench.proxy().resetCounts();

      // A plan per run, each from its own seed: switching plans restarts the request indexes.
      step(reference, faulted, plan(kind, seed * 31 + 1), c, sim, null);
      step(
          reference,
          faulted,
          plan(kind, seed * 31 + 2),
          c,
          sim,
          s -> {
            s.admin().editGuestConfig(100, "cores", "4", "alice@pve");
            s.admin().deleteGuest(101, "bob@pve");
          });
      step(reference, faulted, plan(kind, seed * 31 + 3), c, sim, null);

      return new Tally(
          1,
          bench.proxy().injectedTotal(),
          c.failedAttempts,
          c.lost,
          c.deleted,
          c.rewritten,
          c.gaps,
          0,
          0,
          0,
          0,
          0);
    }
  }

  /** The faults of one kind, on every AWS call the function makes. */
  static FaultPlan plan(FaultKind kind, long seed) {
    // A held answer costs an attempt timeout each: fewer of them keep a run short.
    double rate = kind == FaultKind.TIMEOUT ? 0.18 : 0.25;
    return FaultPlan.seeded(seed).inject(kind, rate, FaultPlan.any());
  }

  private static final class Counter {
    int failedAttempts;
    int lost;
    int deleted;
    int rewritten;
    int gaps;

    void add(int[] counts) {
      lost += counts[0];
      deleted += counts[1];
      rewritten += counts[2];
    }
  }

  private void step(
      ConnectionRef reference,
      ConnectionRef faulted,
      FaultPlan plan,
      Counter c,
      PveSimulator sim,
      Consumer<PveSimulator> change) {
    if (change != null) {
      change.accept(sim);
    }
    bench.proxy().plan(FaultPlan.none());
    if (!deliver(reference, "ref-" + System.nanoTime())) {
      throw new IllegalStateException("the fault-free reference run of " + reference + " failed");
    }
    Map<String, CiCheck.State> expected = CiCheck.states(cis, reference);
    bench.proxy().plan(plan);
    String messageId = "m-" + System.nanoTime();
    for (int delivery = 1; ; delivery++) {
      Map<String, CiCheck.State> before = CiCheck.states(cis, faulted);
      boolean ok;
      try {
        ok = deliver(faulted, messageId);
      } catch (RuntimeException e) {
        // The handler itself threw (Lambda would retry the message the same way).
        ok = false;
      }
      if (ok) {
        break;
      }
      c.failedAttempts++;
      // Read straight from the emulator; the plan keeps counting, so a redelivery meets the
      // plan's next faults, not the same ones again.
      c.add(CiCheck.afterFailure(before, CiCheck.states(cis, faulted), expected));
      if (delivery >= MAX_DELIVERIES) {
        throw new IllegalStateException(
            "discovery of " + faulted + " still failing after " + delivery + " deliveries");
      }
    }
    bench.proxy().plan(FaultPlan.none());
    c.add(CiCheck.compare(CiCheck.states(cis, faulted), expected));
    c.gaps += CiCheck.historyGaps(cis, faulted);
  }

  private void register(PveSimulator sim, ApiToken token, ConnectionRef ref) {
    connections.create(
        ref.tenantId(),
        new ConnectionDraft(
            ref.connectionId(),
            new ConnectionSettings(
                "Faulted cluster",
                new Endpoint("127.0.0.1", sim.port(), Optional.empty()),
                Optional.empty(),
                TlsTrust.pinned(Map.of(sim.entryNode(), sim.fingerprint(sim.entryNode()))),
                token.fullId(),
                new DiscoveryScope.Everything(),
                "rate(15 minutes)"),
            Secret.of(token.secret()),
            Map.of()),
        "faults@" + ref.tenantId());
  }

  /**
   * One delivery of the discovery message of {@code ref}: true when the run succeeded (no batch
   * item failure, and the connection records a successful run that started after the delivery).
   */
  private boolean deliver(ConnectionRef ref, String messageId) {
    Instant before = Instant.now();
    ObjectNode event = JSON.createObjectNode();
    ObjectNode record = event.putArray("Records").addObject();
    record.put("messageId", messageId);
    record.put("receiptHandle", "rh-" + messageId);
    record.put("body", JSON.writeValueAsString(DiscoveryRequest.of(ref)));
    ObjectNode attributes = record.putObject("attributes");
    attributes.put("ApproximateReceiveCount", "1");
    attributes.put("SentTimestamp", Long.toString(before.toEpochMilli()));
    record.putObject("messageAttributes");
    record.put("eventSource", "aws:sqs");
    record.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:discovery");
    record.put("awsRegion", bench.backend().region());
    JsonNode answer = JSON.readTree(discovery.invoke(JSON.writeValueAsString(event)));
    if (!answer.path("batchItemFailures").isEmpty()) {
      return false;
    }
    Optional<RunSummary> last = connections.find(ref).flatMap(Connection::lastRun);
    return last.isPresent() && last.get().succeeded() && !last.get().startedAt().isBefore(before);
  }

  @Override
  public void close() {
    discovery.close();
  }
}
