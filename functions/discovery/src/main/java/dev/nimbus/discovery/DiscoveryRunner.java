package dev.nimbus.discovery;

import dev.nimbus.cmdb.ApplyResult;
import dev.nimbus.cmdb.CmdbService;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.connections.ConnectionNotFoundException;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ProxmoxClients;
import dev.nimbus.connections.ResolvedConnection;
import dev.nimbus.connections.RunSummary;
import dev.nimbus.connections.SecretDecryptionException;
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
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs discovery for one connection: reads it, decrypts its token through KMS (in memory, for this
 * run only), runs the Proxmox provider against the previous snapshot, applies the result to the
 * CMDB and records the run on the CMDB and on the connection.
 *
 * <p>Every failure leaves a record: a run that cannot reach the cluster at all (bad token, wrong
 * pin, cluster down, a token revoked mid-run), a token that KMS will not decrypt, a bug, or a
 * cluster too large for memory is recorded as failed on the CMDB and on the connection (FAILING,
 * with the reason) and deletes nothing; it is not retried here, the next schedule tries again. Only
 * a retryable AWS error propagates, so the queue redelivers the message. A connection deleted since
 * its message was queued is reported once and dropped.
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
    } catch (ConnectionNotFoundException e) {
      // Deleted since the message was queued: nothing to run, nothing to record it on. Reported
      // once and dropped; redelivering it would only park it in the dead-letter queue.
      LOG.log(Level.WARNING, () -> "discovery of " + ref + " skipped: no such connection");
      return new RunReport(ref, false, null, Map.of(), 0, List.of("no such connection"));
    } catch (ProxmoxException.AuthenticationFailed e) {
      // A token revoked or expired, possibly in the middle of the run: nothing is applied.
      return failed(ref, startedAt, client, "credentials rejected: " + e.getMessage());
    } catch (ProxmoxException e) {
      // The cluster as a whole could not be read: record it, delete nothing.
      return failed(ref, startedAt, client, e.getMessage());
    } catch (SecretDecryptionException e) {
      return failed(
          ref, startedAt, client, "the stored token could not be decrypted: " + e.getMessage());
    } catch (SdkException e) {
      if (e.retryable()) {
        // DynamoDB or KMS throttled or unavailable: the queue redelivers the message.
        throw e;
      }
      return failed(ref, startedAt, client, "AWS refused a call: " + e.getMessage());
    } catch (RuntimeException | OutOfMemoryError e) {
      // A bug or a cluster too large for the function's memory: still a record and a reason on
      // the connection, so the failure is visible rather than a silent dead-letter message.
      return failed(
          ref,
          startedAt,
          client,
          "discovery failed unexpectedly: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * Records a run that applied nothing (so deleted nothing) on the CMDB and on the connection,
   * which becomes FAILING with the reason. If recording itself fails, the failure propagates and
   * the queue redelivers the message.
   */
  private RunReport failed(
      ConnectionRef ref, Instant startedAt, ProxmoxClient client, String reason) {
    long calls = client == null ? 0 : client.callCount();
    RunRecord run = RunRecord.failed(ref, startedAt, clock.instant(), calls, reason);
    cmdb.repository().saveRun(run);
    connections.recordRun(
        ref, new RunSummary(startedAt, run.finishedAt(), false, 0, Optional.of(reason)));
    LOG.log(Level.WARNING, () -> "discovery of " + ref + " failed: " + reason);
    return new RunReport(ref, false, run, Map.of(), 0, List.of(reason));
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
