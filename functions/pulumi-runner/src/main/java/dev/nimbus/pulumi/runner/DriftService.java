package dev.nimbus.pulumi.runner;

import com.pulumi.Context;
import com.pulumi.automation.ConcurrentUpdateException;
import com.pulumi.automation.LocalWorkspace;
import com.pulumi.automation.RefreshOptions;
import com.pulumi.automation.WorkspaceStack;
import dev.nimbus.cmdb.CiHistoryEntry;
import dev.nimbus.cmdb.CiRepository;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.connections.ConnectionNotFoundException;
import dev.nimbus.connections.FieldError;
import dev.nimbus.connections.ProxmoxClients;
import dev.nimbus.connections.ResolvedConnection;
import dev.nimbus.deployments.DeploymentRun;
import dev.nimbus.deployments.DeploymentRunStore;
import dev.nimbus.deployments.RunIds;
import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.deployments.drift.DriftStatus;
import dev.nimbus.deployments.drift.DriftStore;
import dev.nimbus.infra.programs.ProgramCatalog;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.pulumi.runner.drift.DriftCheck;
import dev.nimbus.pulumi.runner.drift.DriftClassifier;
import dev.nimbus.pulumi.runner.drift.DriftEvents;
import dev.nimbus.pulumi.runner.drift.DriftNotifier;
import dev.nimbus.pulumi.runner.drift.RefreshSteps;
import dev.nimbus.pulumi.runner.drift.StateResource;
import dev.nimbus.tunnel.LoopbackForwarder;
import dev.nimbus.tunnel.TrustBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Drift against desired state, per connection: for every stack that manages CIs of the connection,
 * a preview-only refresh ({@code pulumi refresh --preview-only}: the provider reads every resource
 * of the state from Proxmox, nothing is written) through the run's forwarder, then the stack's
 * exported state (ids, inputs, outputs); each resource is joined to its CI and classified ({@link
 * DriftClassifier}) with authors from the CMDB. The CIs no stack manages are listed as unmanaged.
 *
 * <p>Records are kept per stack and resource; a drift whose content (fingerprint) is new is stored
 * and sent as one {@value DriftEvents#DETECTED} event, an open drift a check no longer finds is
 * stored resolved and sent as one {@value DriftEvents#RESOLVED} event, and a check that finds what
 * is stored writes and sends nothing. A stack whose refresh failed keeps its records as they were.
 */
public final class DriftService {
  private static final System.Logger LOG = System.getLogger(DriftService.class.getName());

  /** Drift never runs a program: a refresh reads state and Proxmox only. */
  private static final Consumer<Context> NO_PROGRAM = ctx -> {};

  private final ProgramCatalog catalog;
  private final DeploymentService.ConnectionResolver connections;
  private final CiRepository cis;
  private final DeploymentRunStore runs;
  private final DriftStore store;
  private final DriftNotifier notifier;
  private final RunnerSettings settings;
  private final DeploymentService.CommandFactory commands;
  private final Clock clock;
  private final java.util.function.Predicate<ConnectionRef> known;

  public DriftService(
      ProgramCatalog catalog,
      java.util.function.Predicate<ConnectionRef> known,
      DeploymentService.ConnectionResolver connections,
      CiRepository cis,
      DeploymentRunStore runs,
      DriftStore store,
      DriftNotifier notifier,
      RunnerSettings settings,
      DeploymentService.CommandFactory commands,
      Clock clock) {
    this.catalog = catalog;
    this.known = known;
    this.connections = connections;
    this.cis = cis;
    this.runs = runs;
    this.store = store;
    this.notifier = notifier;
    this.settings = settings;
    this.commands = commands;
    this.clock = clock;
  }

  /**
   * Checks the connection's stacks (only {@code program}'s when it is named) and its unmanaged CIs.
   * 400 for a bad tenant, connection or program, 404 for an unknown connection.
   */
  public DriftCheck check(String tenantId, String connectionId, String program) {
    ConnectionRef ref = ref(tenantId, connectionId, program);
    requireKnown(ref);
    Instant now = clock.instant();
    long writesBefore = store.writes();
    Map<String, String> links = runs.linkedStacks(ref);
    Set<String> stacks = new TreeSet<>(links.values());
    if (program != null && !program.isBlank()) {
      stacks.retainAll(Set.of(DeploymentService.qualifiedStack(program, ref)));
    }
    List<StoredCi> all = cis.allOfConnection(ref);
    Map<String, StoredCi> byKey = new HashMap<>();
    all.forEach(c -> byKey.put(c.nativeKey(), c));

    DriftClassifier classifier = new DriftClassifier(now);
    List<DriftCheck.StackResult> results = new ArrayList<>();
    Map<String, List<Drift>> found = new LinkedHashMap<>();
    List<Drift> noise = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    if (!stacks.isEmpty()) {
      try (ResolvedConnection conn = connections.resolve(ref);
          LoopbackForwarder forwarder =
              LoopbackForwarder.start(ProxmoxClients.settings(conn, 4), settings.forwarderPort())) {
        for (String stack : stacks) {
          Path workDir = null;
          RefreshSteps refresh = new RefreshSteps();
          try {
            workDir =
                Files.createDirectories(settings.workRoot())
                    .resolve("drift-" + RunIds.next(now) + "-" + stack.hashCode());
            Files.createDirectories(workDir);
            Path bundle = TrustBundle.write(workDir, forwarder.caCertificatePem());
            String project = stack.substring(0, stack.indexOf('/'));
            String name = stack.substring(stack.indexOf('/') + 1);
            List<StateResource> resources;
            try (WorkspaceStack ws =
                LocalWorkspace.selectStack(
                    project,
                    name,
                    NO_PROGRAM,
                    DeploymentService.workspaceOptions(
                        settings, commands.create(), workDir, bundle, project, NO_PROGRAM))) {
              ws.refresh(
                  RefreshOptions.builder().previewOnly(true).onEvent(refresh::accept).build());
              resources = StateResource.of(ws.exportStack().deployment());
            }
            String programName = project.substring(DeploymentService.projectName("").length());
            Instant baseline =
                runs.lastApplied(ref, programName).map(DeploymentRun::finishedAt).orElse(null);
            var result =
                classifier.classify(
                    new DriftClassifier.StackFacts(
                        ref,
                        stack,
                        resources,
                        refresh,
                        byKey,
                        ci -> timeline(ref, ci),
                        baseline,
                        Set.of(conn.tokenId())));
            found.put(stack, result.drifts());
            noise.addAll(result.noise());
            results.add(
                new DriftCheck.StackResult(
                    stack, true, refresh.summary(), resources.size(), refresh.errors()));
          } catch (ConcurrentUpdateException e) {
            results.add(
                failed(
                    stack,
                    refresh,
                    "stack "
                        + stack
                        + " is locked by an update in progress; its drift was not checked this"
                        + " time"));
          } catch (Exception e) {
            results.add(failed(stack, refresh, DeploymentService.describe(e)));
          } finally {
            DeploymentService.deleteQuietly(workDir);
          }
        }
      } catch (ConnectionNotFoundException e) {
        throw new RequestRejected(
            404, List.of(new FieldError("connectionId", "no such connection")));
      } catch (RequestRejected e) {
        throw e;
      } catch (Exception e) {
        errors.add("the forwarder to Proxmox could not start: " + DeploymentService.describe(e));
      }
    }
    List<Drift> stored = store.byConnection(ref);
    if (program == null || program.isBlank()) {
      found.put(Drift.UNMANAGED_STACK, classifier.unmanaged(ref, all, links.keySet()));
      // A stack that manages nothing any more (destroyed) has no drift: resolve what it had.
      for (Drift d : stored) {
        if (!d.stack().equals(Drift.UNMANAGED_STACK) && !stacks.contains(d.stack())) {
          found.putIfAbsent(d.stack(), List.of());
        }
      }
    }

    List<DriftEvents.Event> events = reconcile(found, stored, now);
    List<DriftEvents.Event> failed = events.isEmpty() ? List.of() : notifier.send(events);
    failed.forEach(
        e -> errors.add("event " + e.eventId() + " (" + e.detailType() + ") was not delivered"));
    List<Drift> open = new ArrayList<>();
    found.values().forEach(open::addAll);
    int detected =
        (int) events.stream().filter(e -> e.drift().status() == DriftStatus.OPEN).count();
    LOG.log(
        System.Logger.Level.INFO,
        () ->
            "drift check "
                + ref
                + ": "
                + stacks.size()
                + " stacks, "
                + open.size()
                + " open, "
                + detected
                + " new, "
                + (events.size() - detected)
                + " resolved");
    return new DriftCheck(
        ref,
        now,
        results,
        open,
        noise,
        detected,
        events.size() - detected,
        events.size() - failed.size(),
        store.writes() - writesBefore,
        errors);
  }

  private static DriftCheck.StackResult failed(String stack, RefreshSteps refresh, String error) {
    List<String> errs = new ArrayList<>(refresh.errors());
    errs.add(error);
    return new DriftCheck.StackResult(stack, false, refresh.summary(), 0, errs);
  }

  /**
   * Stores what is new or changed and resolves what is gone, for the stacks that were checked (keys
   * of {@code found}); returns one event per stored change.
   */
  private List<DriftEvents.Event> reconcile(
      Map<String, List<Drift>> found, List<Drift> storedList, Instant now) {
    List<DriftEvents.Event> events = new ArrayList<>();
    Map<String, Drift> stored = new HashMap<>();
    for (Drift d : storedList) {
      stored.put(d.stack() + "|" + d.nativeKey(), d);
    }
    for (var e : found.entrySet()) {
      Set<String> seen = new TreeSet<>();
      for (Drift d : e.getValue()) {
        seen.add(d.nativeKey());
        Drift old = stored.get(d.stack() + "|" + d.nativeKey());
        if (old != null
            && old.status() == DriftStatus.OPEN
            && old.fingerprint().equals(d.fingerprint())) {
          continue;
        }
        store.put(d);
        events.add(new DriftEvents.Event(d, now));
      }
      for (Drift old : stored.values()) {
        if (old.stack().equals(e.getKey())
            && old.status() == DriftStatus.OPEN
            && !seen.contains(old.nativeKey())) {
          Drift resolved = old.resolved(now);
          store.put(resolved);
          events.add(new DriftEvents.Event(resolved, now));
        }
      }
    }
    return events;
  }

  /** A CI's history, newest first (the CMDB keeps it for the retention period). */
  private List<CiHistoryEntry> timeline(ConnectionRef ref, StoredCi ci) {
    List<CiHistoryEntry> out = new ArrayList<>();
    String cursor = null;
    do {
      var page = cis.timeline(ref, ci.id(), 100, cursor);
      out.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null && out.size() < 500);
    return out;
  }

  private ConnectionRef ref(String tenantId, String connectionId, String program) {
    List<FieldError> errors = new ArrayList<>();
    ConnectionRef ref = null;
    try {
      ref = new ConnectionRef(tenantId, connectionId);
    } catch (RuntimeException e) {
      errors.add(new FieldError("connection", e.getMessage()));
    }
    if (program != null && !program.isBlank() && catalog.find(program).isEmpty()) {
      errors.add(
          new FieldError(
              "program", "unknown program; one of " + String.join(", ", catalog.names())));
    }
    if (!errors.isEmpty()) {
      throw new RequestRejected(400, errors);
    }
    return ref;
  }

  private void requireKnown(ConnectionRef ref) {
    if (!known.test(ref)) {
      throw new RequestRejected(404, List.of(new FieldError("connectionId", "no such connection")));
    }
  }

  /** The drift records of a connection (every stack and the unmanaged list); reads only. */
  public List<Drift> byConnection(String tenantId, String connectionId) {
    ConnectionRef ref = ref(tenantId, connectionId, null);
    requireKnown(ref);
    return store.byConnection(ref);
  }

  /** The drift records of one program's stack on a connection; reads only. */
  public List<Drift> byStack(String tenantId, String connectionId, String program) {
    if (program == null || program.isBlank()) {
      throw new RequestRejected(
          400,
          List.of(
              new FieldError(
                  "program", "is required; one of " + String.join(", ", catalog.names()))));
    }
    ConnectionRef ref = ref(tenantId, connectionId, program);
    requireKnown(ref);
    return store.byStack(ref, DeploymentService.qualifiedStack(program, ref));
  }

  /** True when a stack manages CIs of the connection (what the discovery trigger checks). */
  public boolean hasStacks(ConnectionRef ref) {
    return !runs.linkedStacks(ref).isEmpty();
  }
}
