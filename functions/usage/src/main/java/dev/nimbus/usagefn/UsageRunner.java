package dev.nimbus.usagefn;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.cmdb.CiRepository;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.ConnectionDirectory;
import dev.nimbus.connections.ConnectionNotFoundException;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.ProxmoxClients;
import dev.nimbus.connections.ResolvedConnection;
import dev.nimbus.connections.SecretDecryptionException;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.TimeRange;
import dev.nimbus.model.UsageCollection;
import dev.nimbus.model.UsageRequest;
import dev.nimbus.model.UsageSlice;
import dev.nimbus.proxmox.client.Deadline;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.provider.DiscoveryOptions;
import dev.nimbus.proxmox.provider.ProxmoxProvider;
import dev.nimbus.usage.CmdbCiDirectory;
import dev.nimbus.usage.FieldError;
import dev.nimbus.usage.RecordResult;
import dev.nimbus.usage.SampleRange;
import dev.nimbus.usage.UsageRepository;
import dev.nimbus.usage.UsageService;
import dev.nimbus.usage.UsageState;
import dev.nimbus.usage.dynamodb.DynamoDbUsageRepository;
import dev.nimbus.usage.dynamodb.UsageSampleLeases;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Samples the usage of one connection (from its cursor to now, or a requested range as a backfill)
 * or of every scheduled connection: resolves the connection (token decrypted in memory for this
 * sample only), collects through the Proxmox provider and records through the usage service. The
 * CMDB is read only when needed: for shared storages once an hour, for guest-agent VMs on the first
 * sample of an hour, and for rollup facts when an hour is written.
 */
public final class UsageRunner {
  private static final Logger LOG = System.getLogger(UsageRunner.class.getName());
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Instant FAR_FUTURE = Instant.parse("9999-12-31T23:59:59Z");

  private final ConnectionService connections;
  private final ConnectionDirectory directory;
  private final CiRepository cmdb;
  private final UsageService usage;
  private final UsageRepository usageRepository;
  private final UsageSampleLeases leases;
  private final UsageProperties properties;
  private final Clock clock;

  public UsageRunner(
      ConnectionService connections,
      ConnectionDirectory directory,
      CiRepository cmdb,
      UsageService usage,
      UsageRepository usageRepository,
      UsageSampleLeases leases,
      UsageProperties properties,
      Clock clock) {
    this.connections = connections;
    this.directory = directory;
    this.cmdb = cmdb;
    this.usage = usage;
    this.usageRepository = usageRepository;
    this.leases = leases;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * The runner as the usage function wires it (and {@code bin/wizard}'s local usage function): the
   * connections, the schedule directory, the CMDB and the usage store on one table, with {@code
   * repository} for the usage items.
   */
  public static UsageRunner create(
      AwsClients aws, UsageProperties p, DynamoDbUsageRepository repository, Clock clock) {
    return new UsageRunner(
        ConnectionService.create(aws, new ConnectionsConfig(p.tableName(), p.tokenKeyId()), clock),
        new ConnectionDirectory(aws.dynamoDb(), p.tableName()),
        new DynamoDbCiRepository(aws.dynamoDb(), p.tableName(), CmdbSettings.defaults()),
        new UsageService(repository, Duration.ofDays(p.retentionDays()), clock),
        repository,
        new UsageSampleLeases(aws.dynamoDb(), p.tableName(), clock),
        p,
        clock);
  }

  /**
   * How long a sample holds its connection: the Proxmox budget plus a minute to record. With the
   * template's values (budget 4 minutes, timeout 5) no sample outlives its lease: Lambda stops it
   * first, and the connection is free again when the lease runs out.
   */
  Duration leaseDuration() {
    return properties.runBudget().plus(Duration.ofMinutes(1));
  }

  /**
   * Every scheduled connection, one after the other, starting at a different one each period
   * ({@link #rotated}); one failing does not stop the others.
   */
  public List<SampleReport> sampleScheduled() {
    List<SampleReport> reports = new ArrayList<>();
    List<ConnectionRef> scheduled = directory.dueConnections(FAR_FUTURE);
    for (ConnectionRef ref : rotated(scheduled, clock.instant(), properties.samplePeriod())) {
      reports.add(sample(ref, null));
    }
    return reports;
  }

  /**
   * {@code connections} starting at position (number of the period {@code now} falls in) modulo
   * their count. The directory lists them in the discovery schedule's order, which stays the same
   * from period to period; when an invocation runs out of time on slow connections, the ones at the
   * end of a fixed order would miss every period. Rotated, each leads in turn.
   */
  static List<ConnectionRef> rotated(
      List<ConnectionRef> connections, Instant now, Duration period) {
    if (connections.isEmpty()) {
      return connections;
    }
    int start = (int) Math.floorMod(now.getEpochSecond() / period.toSeconds(), connections.size());
    List<ConnectionRef> order = new ArrayList<>(connections.subList(start, connections.size()));
    order.addAll(connections.subList(0, start));
    return order;
  }

  /** Checks an on-demand request; field errors mean nothing is sampled or written. */
  public List<FieldError> validate(UsageInvocation in) {
    List<FieldError> errors = new ArrayList<>();
    if (in.tenantId() == null || !SLUG.matcher(in.tenantId()).matches()) {
      errors.add(new FieldError("tenantId", "is required: a tenant id"));
    }
    if (in.connectionId() == null || !SLUG.matcher(in.connectionId()).matches()) {
      errors.add(new FieldError("connectionId", "is required: a connection id"));
    }
    SampleRange.check(in.from(), in.to(), clock.instant(), usage.retention(), errors);
    if (errors.isEmpty()) {
      ConnectionRef ref = new ConnectionRef(in.tenantId(), in.connectionId());
      if (connections.find(ref).isEmpty()) {
        errors.add(new FieldError("connectionId", "no such connection: " + in.connectionId()));
      }
    }
    return errors;
  }

  /** Samples one connection; {@code range} null: from the cursor (or one period back) to now. */
  public SampleReport sample(ConnectionRef ref, TimeRange range) {
    Instant started = clock.instant();
    // One sample of a connection at a time (UsageSampleLeases says why): a second one reports the
    // running one's end and writes nothing.
    UsageSampleLeases.Outcome outcome = leases.acquire(ref, leaseDuration());
    if (outcome instanceof UsageSampleLeases.Busy(Instant until)) {
      return SampleReport.failed(
          ref,
          0,
          elapsed(started),
          "a usage sample of this connection is already running; it ends by " + until);
    }
    try (UsageSampleLeases.Lease held = (UsageSampleLeases.Lease) outcome) {
      return sampleHeld(ref, range, started);
    }
  }

  private SampleReport sampleHeld(ConnectionRef ref, TimeRange range, Instant started) {
    ProxmoxClient client = null;
    long writesBefore = usageRepository.writeRequests();
    try (ResolvedConnection connection = connections.resolve(ref)) {
      UsageState state = usage.state(ref);
      Instant now = clock.instant();
      Instant cursor = range == null ? state.cursor() : null;
      TimeRange window =
          range != null
              ? range
              : new TimeRange(cursor != null ? cursor : now.minus(properties.samplePeriod()), now);
      if (!window.end().isAfter(window.start())) {
        return empty(ref, state, started);
      }
      client =
          ProxmoxClients.create(connection, properties.maxConcurrentRequests(), clock)
              .withDeadline(Deadline.after(properties.runBudget(), clock));
      ProxmoxProvider provider =
          new ProxmoxProvider(
              client, ref, connection.tokenId(), DiscoveryOptions.defaults(), clock);
      CmdbCiDirectory cis = new CmdbCiDirectory(cmdb);
      Set<String> shared =
          state.sharedStorage() != null
                  && state.sharedStorageReadAt() != null
                  && state.sharedStorageReadAt().isAfter(now.minus(Duration.ofHours(1)))
              ? state.sharedStorage()
              : cis.sharedStorage(ref);
      boolean newHour =
          state.cursor() == null
              || !UsageSlice.hourOf(state.cursor()).equals(UsageSlice.hourOf(now))
              || range != null;
      Set<String> agentVms = newHour ? cis.agentVms(ref) : Set.of();
      UsageCollection collection =
          provider.collectUsage(
              new UsageRequest(
                  window, cursor, shared, agentVms, range == null ? state.baselines() : null));
      RecordResult recorded = usage.record(ref, collection, cis);
      long calls = client.callCount();
      int distinct =
          (int) collection.slices().stream().map(UsageSlice::nativeKey).distinct().count();
      List<String> problems =
          collection.problems().stream()
              .map(p -> p.kind() + " " + p.subject() + ": " + p.message())
              .toList();
      SampleReport report =
          new SampleReport(
              ref,
              true,
              collection.methods(),
              calls,
              distinct,
              collection.slices().size(),
              recorded.hoursWritten(),
              recorded.rollupsWritten(),
              recorded.stateItemsWritten(),
              usageRepository.writeRequests() - writesBefore,
              recorded.cursor(),
              Duration.between(started, clock.instant()).toMillis(),
              problems);
      LOG.log(
          Level.INFO,
          () ->
              "usage of "
                  + ref
                  + ": "
                  + collection.methods()
                  + ", "
                  + calls
                  + " Proxmox calls, "
                  + distinct
                  + " CIs, "
                  + recorded.hoursWritten()
                  + " hours written, cursor "
                  + recorded.cursor());
      return report;
    } catch (ConnectionNotFoundException e) {
      return SampleReport.failed(ref, 0, elapsed(started), "no such connection");
    } catch (ProxmoxException e) {
      return SampleReport.failed(ref, calls(client), elapsed(started), e.getMessage());
    } catch (SecretDecryptionException e) {
      return SampleReport.failed(
          ref, 0, elapsed(started), "the stored token could not be decrypted: " + e.getMessage());
    } catch (SdkException e) {
      if (e.retryable()) {
        throw e;
      }
      return SampleReport.failed(
          ref, calls(client), elapsed(started), "AWS refused a call: " + e.getMessage());
    }
  }

  private SampleReport empty(ConnectionRef ref, UsageState state, Instant started) {
    return new SampleReport(
        ref, true, List.of(), 0, 0, 0, 0, 0, 0, 0, state.cursor(), elapsed(started), List.of());
  }

  private long elapsed(Instant started) {
    return Duration.between(started, clock.instant()).toMillis();
  }

  private static long calls(ProxmoxClient client) {
    return client == null ? 0 : client.callCount();
  }
}
