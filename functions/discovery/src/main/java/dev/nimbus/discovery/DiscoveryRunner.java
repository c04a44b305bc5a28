package dev.nimbus.discovery;

import dev.nimbus.cmdb.ApplyResult;
import dev.nimbus.cmdb.CmdbService;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ProxmoxClients;
import dev.nimbus.connections.ResolvedConnection;
import dev.nimbus.connections.RunSummary;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.SemanticType;
import dev.nimbus.proxmox.client.Deadline;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.provider.DiscoveryOptions;
import dev.nimbus.proxmox.provider.ProxmoxProvider;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs discovery for one connection: reads it, decrypts its token through KMS (in memory, for this
 * run only), runs the Proxmox provider against the previous snapshot, applies the result to the
 * CMDB and records the run on the CMDB and on the connection.
 *
 * <p>A run that cannot reach the cluster at all (bad token, wrong pin, cluster down) is recorded as
 * failed and deletes nothing; it is not retried here, the next schedule tries again. Anything else
 * (DynamoDB, KMS) propagates so the queue redelivers the message.
 */
public final class DiscoveryRunner {
  private static final Logger LOG = System.getLogger(DiscoveryRunner.class.getName());

  private final ConnectionService connections;
  private final CmdbService cmdb;
  private final DiscoveryOptions options;
  private final int maxConcurrentRequests;
  private final Duration runBudget;
  private final Clock clock;

  public DiscoveryRunner(
      ConnectionService connections,
      CmdbService cmdb,
      DiscoveryOptions options,
      int maxConcurrentRequests,
      Duration runBudget,
      Clock clock) {
    this.connections = connections;
    this.cmdb = cmdb;
    this.options = options;
    this.maxConcurrentRequests = maxConcurrentRequests;
    this.runBudget = runBudget;
    this.clock = clock;
  }

  public RunReport run(ConnectionRef ref) {
    Instant startedAt = clock.instant();
    ProxmoxClient client = null;
    try (ResolvedConnection connection = connections.resolve(ref)) {
      client =
          ProxmoxClients.create(connection, maxConcurrentRequests, clock)
              .withDeadline(Deadline.after(runBudget, clock));
      ProxmoxProvider provider =
          new ProxmoxProvider(client, ref, connection.tokenId(), options, clock);
      // One read of the connection's stored CIs serves the provider and the apply.
      CmdbService.Session stored = cmdb.open(ref);
      DiscoverySnapshot snapshot = provider.discover(connection.scope(), stored.previousSnapshot());
      ApplyResult applied = stored.apply(snapshot);
      RunRecord run = RunRecord.of(snapshot, applied, startedAt, clock.instant());
      cmdb.repository().saveRun(run);
      List<String> problems = snapshot.problems().stream().map(DiscoveryRunner::describe).toList();
      connections.recordRun(
          ref,
          new RunSummary(
              startedAt,
              run.finishedAt(),
              true,
              snapshot.items().size(),
              problems.isEmpty()
                  ? Optional.empty()
                  : Optional.of(problems.size() + " problem(s), first: " + problems.getFirst())));
      LOG.log(
          Level.INFO,
          () ->
              "discovery of "
                  + ref
                  + ": "
                  + applied.created()
                  + " created, "
                  + applied.updated()
                  + " updated, "
                  + applied.deleted()
                  + " deleted, "
                  + applied.unreachable()
                  + " unreachable, "
                  + snapshot.providerCalls()
                  + " Proxmox calls, "
                  + applied.writtenItems()
                  + " items written");
      return new RunReport(ref, true, run, counts(snapshot), edges(snapshot), problems);
    } catch (ProxmoxException e) {
      // The cluster as a whole could not be read: record it, delete nothing.
      long calls = client == null ? 0 : client.callCount();
      RunRecord run = RunRecord.failed(ref, startedAt, clock.instant(), calls, e.getMessage());
      cmdb.repository().saveRun(run);
      connections.recordRun(
          ref, new RunSummary(startedAt, run.finishedAt(), false, 0, Optional.of(e.getMessage())));
      LOG.log(Level.WARNING, () -> "discovery of " + ref + " failed: " + e.getMessage());
      return new RunReport(ref, false, run, Map.of(), 0, List.of(e.getMessage()));
    }
  }

  private static String describe(DiscoveryProblem p) {
    return p.kind() + " " + p.subject() + ": " + p.message();
  }

  private static Map<SemanticType, Integer> counts(DiscoverySnapshot snapshot) {
    Map<SemanticType, Integer> counts = new EnumMap<>(SemanticType.class);
    for (ConfigurationItem ci : snapshot.items()) {
      counts.merge(ci.semanticType(), 1, Integer::sum);
    }
    return counts;
  }

  private static int edges(DiscoverySnapshot snapshot) {
    return snapshot.items().stream().mapToInt(ci -> ci.relationships().size()).sum();
  }
}
