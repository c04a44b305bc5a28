package dev.nimbus.pulumi.runner;

import com.pulumi.Context;
import com.pulumi.automation.ConcurrentUpdateException;
import com.pulumi.automation.DestroyOptions;
import com.pulumi.automation.LocalWorkspace;
import com.pulumi.automation.LocalWorkspaceOptions;
import com.pulumi.automation.PreviewOptions;
import com.pulumi.automation.ProjectBackend;
import com.pulumi.automation.ProjectRuntimeName;
import com.pulumi.automation.ProjectSettings;
import com.pulumi.automation.PulumiCommand;
import com.pulumi.automation.UpOptions;
import com.pulumi.automation.WorkspaceStack;
import com.pulumi.automation.events.EngineEvent;
import dev.nimbus.connections.ConnectionNotFoundException;
import dev.nimbus.connections.FieldError;
import dev.nimbus.connections.ProxmoxClients;
import dev.nimbus.connections.ResolvedConnection;
import dev.nimbus.deployments.DeploymentRun;
import dev.nimbus.deployments.DeploymentRunStore;
import dev.nimbus.deployments.Operation;
import dev.nimbus.deployments.ResourceStep;
import dev.nimbus.deployments.RunIds;
import dev.nimbus.deployments.RunStatus;
import dev.nimbus.deployments.StackNames;
import dev.nimbus.infra.ResourceKind;
import dev.nimbus.infra.programs.DeploymentProgram;
import dev.nimbus.infra.programs.InputException;
import dev.nimbus.infra.programs.Inventory;
import dev.nimbus.infra.programs.ProgramCatalog;
import dev.nimbus.infra.resources.ProxmoxProvider;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.tunnel.LoopbackForwarder;
import dev.nimbus.tunnel.TrustBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs one preview, up or destroy of one stack (one per tenant, connection and program): checks the
 * request (program, connection, inputs against the connection's inventory, approval or
 * confirmation) before any engine call, then starts the run's loopback forwarder, selects or
 * creates the stack in the S3 backend with the {@code awskms://} secrets provider, and runs the
 * program inline with an explicit provider whose API token is a secret output: the token never
 * appears on a command line, in the CLI's environment, in stack configuration or in a log. Progress
 * goes from the engine's events into the run record; after an {@code up}, the CIs of what was
 * created are linked to their URNs.
 */
public final class DeploymentService {
  private static final System.Logger LOG = System.getLogger(DeploymentService.class.getName());

  /**
   * What a destroy defines: nothing but the provider. The Automation API does not run the program
   * for a destroy (the engine deletes what the state holds, with the provider configuration the
   * state keeps), so a destroy needs no inputs.
   */
  private static final DeploymentProgram.Plan NOTHING =
      new DeploymentProgram.Plan() {
        @Override
        public Map<String, Object> inputs() {
          return Map.of();
        }

        @Override
        public void define(Context ctx, com.pulumi.resources.ProviderResource provider) {}
      };

  /**
   * Resolves a connection with its secrets decrypted in memory. (Not a {@code java.util.function}
   * type: Spring Cloud Function would list such a bean as a function of the application.)
   */
  @FunctionalInterface
  public interface ConnectionResolver {
    ResolvedConnection resolve(ConnectionRef ref);
  }

  /**
   * The connection's inventory (from its CIs) for input validation; throws {@link
   * ConnectionNotFoundException} for an unknown connection.
   */
  @FunctionalInterface
  public interface InventorySource {
    Inventory inventory(ConnectionRef ref);
  }

  /** Creates the Pulumi CLI seam for a run (the real CLI in the image, a fake in tests). */
  @FunctionalInterface
  public interface CommandFactory {
    PulumiCommand create() throws com.pulumi.automation.AutomationException;
  }

  private final ProgramCatalog catalog;
  private final ConnectionResolver connections;
  private final InventorySource inventories;
  private final DeploymentRunStore runs;
  private final RunnerSettings settings;
  private final CommandFactory commands;
  private final Clock clock;

  public DeploymentService(
      ProgramCatalog catalog,
      ConnectionResolver connections,
      InventorySource inventories,
      DeploymentRunStore runs,
      RunnerSettings settings,
      CommandFactory commands,
      Clock clock) {
    this.catalog = catalog;
    this.connections = connections;
    this.inventories = inventories;
    this.runs = runs;
    this.settings = settings;
    this.commands = commands;
    this.clock = clock;
  }

  /** The stack of a tenant's connection for one program: {@code <tenant>.<connection>}. */
  public static String stackName(ConnectionRef ref) {
    return StackNames.stack(ref);
  }

  /** The Pulumi project of a program: {@code nimbus-<program>}. */
  public static String projectName(String program) {
    return StackNames.project(program);
  }

  /**
   * The stack of one program on one connection, {@code <project>/<stack>}: the stack name alone is
   * the same for every program of a connection, so CI links are kept under this name.
   */
  public static String qualifiedStack(String program, ConnectionRef ref) {
    return StackNames.qualified(program, ref);
  }

  public DeploymentRun run(DeploymentRequest request) {
    List<FieldError> errors = new ArrayList<>();
    ConnectionRef ref = null;
    try {
      ref = new ConnectionRef(request.tenantId(), request.connectionId());
    } catch (RuntimeException e) {
      errors.add(new FieldError("connection", e.getMessage()));
    }
    DeploymentProgram program = catalog.find(request.program()).orElse(null);
    if (program == null) {
      errors.add(
          new FieldError(
              "program", "unknown program; one of " + String.join(", ", catalog.names())));
    }
    if (request.operation() == null) {
      errors.add(new FieldError("operation", "is required: PREVIEW, UP or DESTROY"));
    }
    if (!errors.isEmpty()) {
      throw new RequestRejected(400, errors);
    }
    String stack = stackName(ref);
    Map<String, String> links = runs.links(ref, qualifiedStack(program.name(), ref));
    DeploymentProgram.Plan plan;
    if (request.operation() == Operation.DESTROY) {
      checkDestroy(request, ref, program, stack);
      plan = NOTHING;
    } else {
      Inventory inventory;
      try {
        inventory = inventories.inventory(ref).managing(links.keySet());
      } catch (ConnectionNotFoundException e) {
        throw new RequestRejected(
            404, List.of(new FieldError("connectionId", "no such connection")));
      } catch (dev.nimbus.infra.programs.InventoryUnavailableException e) {
        throw new RequestRejected(409, e.errors());
      }
      try {
        plan = program.plan(request.inputs(), inventory);
      } catch (InputException e) {
        throw new RequestRejected(
            400,
            e.errors().stream()
                .map(f -> new FieldError("inputs." + f.field(), f.message()))
                .toList());
      }
    }
    String hash = hash(plan.inputs());
    if (request.operation() == Operation.UP) {
      checkApproval(request, ref, stack, hash);
    }

    DeploymentRun run =
        new DeploymentRun(
            RunIds.next(clock.instant()),
            ref,
            program.name(),
            stack,
            request.operation(),
            RunStatus.RUNNING,
            clock.instant(),
            null,
            plan.inputs(),
            hash,
            List.of(),
            Map.of(),
            List.of(),
            Map.of());
    runs.save(run);
    return execute(run, program, plan, links);
  }

  /**
   * A run of a tenant's connection: the run {@code runId} names, or without one the newest run of
   * {@code program}'s stack (what a caller that started a run asynchronously polls). Reads only.
   */
  public DeploymentRun status(String tenantId, String connectionId, String program, String runId) {
    List<FieldError> errors = new ArrayList<>();
    ConnectionRef ref = null;
    try {
      ref = new ConnectionRef(tenantId, connectionId);
    } catch (RuntimeException e) {
      errors.add(new FieldError("connection", e.getMessage()));
    }
    boolean byId = runId != null && !runId.isBlank();
    if (byId && !RunIds.isValid(runId)) {
      errors.add(new FieldError("runId", "is not a run id (20261130T070000123Z-1a2b3c4d)"));
    }
    if (!byId && catalog.find(program).isEmpty()) {
      errors.add(
          new FieldError(
              "program",
              "name a run (runId) or a program, one of " + String.join(", ", catalog.names())));
    }
    if (!errors.isEmpty()) {
      throw new RequestRejected(400, errors);
    }
    var found = byId ? runs.find(ref, runId) : runs.latest(ref, program);
    return found.orElseThrow(
        () ->
            new RequestRejected(
                404,
                List.of(
                    byId
                        ? new FieldError("runId", "no such run of this connection")
                        : new FieldError("program", "no run of this program's stack yet"))));
  }

  /** An up applies a succeeded preview of the same stack and the same validated inputs. */
  private void checkApproval(
      DeploymentRequest request, ConnectionRef ref, String stack, String hash) {
    String id = request.approvedPreviewRunId();
    var preview = RunIds.isValid(id) ? runs.find(ref, id).orElse(null) : null;
    if (preview == null
        || preview.operation() != Operation.PREVIEW
        || preview.status() != RunStatus.SUCCEEDED
        || !preview.stack().equals(stack)
        || !preview.program().equals(request.program())) {
      throw new RequestRejected(
          409,
          List.of(
              new FieldError(
                  "approvedPreviewRunId",
                  "name a succeeded preview of this stack: up applies only what was previewed")));
    }
    if (!preview.inputsHash().equals(hash)) {
      throw new RequestRejected(
          409,
          List.of(
              new FieldError(
                  "inputs", "differ from the approved preview's inputs; preview them again")));
    }
  }

  /**
   * A destroy repeats the stack name, and names a stack this runner has run before (so a typo in
   * tenant, connection or program cannot reach the engine). It takes no inputs: the engine deletes
   * what the stack's state holds.
   */
  private void checkDestroy(
      DeploymentRequest request, ConnectionRef ref, DeploymentProgram program, String stack) {
    if (!stack.equals(request.confirmStack())) {
      throw new RequestRejected(
          409,
          List.of(
              new FieldError(
                  "confirmStack", "must repeat the stack name '" + stack + "' to destroy it")));
    }
    if (runs.latest(ref, program.name()).isEmpty()) {
      throw new RequestRejected(
          404,
          List.of(
              new FieldError(
                  "program",
                  "nothing was deployed with program '"
                      + program.name()
                      + "' on this connection")));
    }
  }

  private DeploymentRun execute(
      DeploymentRun run,
      DeploymentProgram program,
      DeploymentProgram.Plan plan,
      Map<String, String> linksBefore) {
    StackEvents events = new StackEvents();
    List<String> errors = new ArrayList<>();
    RunStatus status = RunStatus.FAILED;
    Path workDir = null;
    DeploymentRun[] current = {run};
    try (ResolvedConnection conn = connections.resolve(run.connection());
        LoopbackForwarder forwarder =
            LoopbackForwarder.start(ProxmoxClients.settings(conn, 4), settings.forwarderPort())) {
      workDir = Files.createDirectories(settings.workRoot()).resolve("run-" + run.runId());
      Files.createDirectories(workDir);
      Path bundle = TrustBundle.write(workDir, forwarder.caCertificatePem());
      String endpoint = forwarder.endpoint().toString();
      String tokenId = conn.tokenId();
      var secret = conn.tokenSecret();
      Consumer<Context> inline =
          ctx -> {
            var provider =
                new ProxmoxProvider("proxmox", new ProxmoxProvider.Args(endpoint, tokenId, secret));
            plan.define(ctx, provider);
          };
      var options =
          workspaceOptions(
              settings, commands.create(), workDir, bundle, projectName(program.name()), inline);
      Consumer<EngineEvent> onEvent =
          e -> {
            boolean stepDone =
                e.resourceOutputsEvent() != null || e.resourceOperationFailedEvent() != null;
            events.accept(e);
            if (stepDone) {
              // Progress: one write per finished resource step, not per event.
              current[0] = current[0].progress(events.steps());
              runs.save(current[0]);
            }
          };
      try (WorkspaceStack stack =
          LocalWorkspace.createOrSelectStack(
              projectName(program.name()), run.stack(), inline, options)) {
        switch (run.operation()) {
          case PREVIEW ->
              stack.preview(PreviewOptions.builder().diff(true).onEvent(onEvent).build());
          case UP -> stack.up(UpOptions.builder().onEvent(onEvent).build());
          case DESTROY -> stack.destroy(DestroyOptions.builder().onEvent(onEvent).build());
        }
      }
      status = RunStatus.SUCCEEDED;
    } catch (ConcurrentUpdateException e) {
      status = RunStatus.REFUSED;
      errors.add(
          "another update of stack "
              + run.stack()
              + " ("
              + projectName(program.name())
              + ") is in progress: the state backend holds its lock; nothing was changed, try again"
              + " when it has finished");
    } catch (Exception e) {
      errors.add(describe(e));
    } finally {
      deleteQuietly(workDir);
    }
    errors.addAll(0, events.errors());
    Map<String, String> linked = linksAfter(run.operation(), status, linksBefore, events.steps());
    if (!linked.equals(linksBefore)) {
      try {
        runs.replaceLinks(
            run.connection(), qualifiedStack(program.name(), run.connection()), linked);
      } catch (RuntimeException e) {
        errors.add("the CI links of this run were not stored: " + describe(e));
      }
    }
    DeploymentRun done =
        current[0].finish(
            status, clock.instant(), events.steps(), events.summary(), errors, linked);
    runs.save(done);
    LOG.log(
        System.Logger.Level.INFO,
        () ->
            "run "
                + done.runId()
                + " "
                + done.operation()
                + " "
                + done.stack()
                + " "
                + done.status());
    return done;
  }

  /**
   * The workspace of one run: the S3 backend and KMS secrets provider of the settings, the CLI's
   * home, the run's trust bundle ({@code SSL_CERT_FILE}, so the provider trusts the run's
   * forwarder) and the inline program. Shared by deployments and drift checks.
   */
  static LocalWorkspaceOptions workspaceOptions(
      RunnerSettings settings,
      com.pulumi.automation.PulumiCommand command,
      Path workDir,
      Path bundle,
      String project,
      Consumer<Context> inline) {
    Map<String, String> env = new TreeMap<>();
    env.put("PULUMI_BACKEND_URL", settings.backendUrl());
    env.put("PULUMI_SKIP_UPDATE_CHECK", "true");
    env.put("PULUMI_DIY_BACKEND_NO_LEGACY_WARNING", "true");
    env.put("SSL_CERT_FILE", bundle.toString());
    // The run directory (with Pulumi.<stack>.yaml, which names the stack's secrets provider and
    // its KMS-encrypted data key) is deleted after every run, so later runs of the stack have no
    // stack file: the CLI must then take the secrets manager from the stack's state, which stack
    // init stored there, instead of creating a default (passphrase) one.
    env.put("PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER", "true");
    return LocalWorkspaceOptions.builder()
        .workDir(workDir)
        .pulumiHome(settings.pulumiHome())
        .pulumiCommand(command)
        .secretsProvider(settings.secretsProvider())
        .environmentVariables(env)
        .projectSettings(
            ProjectSettings.builder(project, ProjectRuntimeName.JAVA)
                .backend(ProjectBackend.builder().url(settings.backendUrl()).build())
                .build())
        .program(inline)
        .build();
  }

  /**
   * The stack's CI links after a run. A succeeded {@code up} reports a step for every resource of
   * the stack (unchanged ones as {@code same}), so its links are exactly those steps'; a succeeded
   * {@code destroy} leaves none; a preview changes nothing. A failed or refused run keeps the links
   * it had, minus what it deleted and plus what it finished creating or updating (the state holds
   * those now).
   */
  static Map<String, String> linksAfter(
      Operation op, RunStatus status, Map<String, String> before, List<ResourceStep> steps) {
    if (op == Operation.PREVIEW) {
      return before;
    }
    if (status == RunStatus.SUCCEEDED) {
      return op == Operation.DESTROY ? Map.of() : links(steps);
    }
    Map<String, String> after = new TreeMap<>(before);
    for (ResourceStep s : steps) {
      if (s.done() && !s.failed() && isDeletion(s.op())) {
        after.values().removeIf(s.urn()::equals);
      }
    }
    after.putAll(links(steps));
    return after;
  }

  /** CI native key to URN for each finished step that keeps a resource whose outputs name a CI. */
  static Map<String, String> links(List<ResourceStep> steps) {
    Map<String, String> out = new TreeMap<>();
    for (ResourceStep s : steps) {
      if (!s.done() || s.failed() || isDeletion(s.op())) {
        continue;
      }
      ResourceKind.ofToken(s.type())
          .flatMap(k -> k.nativeKey(s.outputs()))
          .ifPresent(key -> out.put(key, s.urn()));
    }
    return out;
  }

  /** The engine's ops that end a resource: delete, delete-replaced, discard, ... */
  private static boolean isDeletion(String op) {
    return op.startsWith("delete")
        || op.startsWith("discard")
        || op.equals("remove-pending-replace");
  }

  /** An engine failure as text: the exception class and the CLI's stderr, never the environment. */
  static String describe(Exception e) {
    String msg = e.getMessage() == null ? "" : e.getMessage().strip();
    return e.getClass().getSimpleName() + (msg.isEmpty() ? "" : ": " + msg);
  }

  /** See {@link StackNames#inputsHash}: the wizard's API checks approvals with the same hash. */
  static String hash(Map<String, Object> inputs) {
    return StackNames.inputsHash(inputs);
  }

  static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // /tmp is per sandbox; what is left goes with it.
    }
  }
}
