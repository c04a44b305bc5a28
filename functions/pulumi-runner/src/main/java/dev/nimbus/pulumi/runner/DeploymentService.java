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
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

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

  /** Resolves a connection with its secrets decrypted in memory. */
  public interface ConnectionResolver extends Function<ConnectionRef, ResolvedConnection> {}

  /** The connection's inventory (from its CIs) for input validation. */
  public interface InventorySource extends Function<ConnectionRef, Inventory> {}

  private final ProgramCatalog catalog;
  private final ConnectionResolver connections;
  private final InventorySource inventories;
  private final DeploymentRunStore runs;
  private final RunnerSettings settings;
  private final Supplier<PulumiCommand> commands;
  private final Clock clock;

  public DeploymentService(
      ProgramCatalog catalog,
      ConnectionResolver connections,
      InventorySource inventories,
      DeploymentRunStore runs,
      RunnerSettings settings,
      Supplier<PulumiCommand> commands,
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
    return ref.tenantId() + "." + ref.connectionId();
  }

  /** The Pulumi project of a program: {@code nimbus-<program>}. */
  public static String projectName(String program) {
    return "nimbus-" + program;
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
    Map<String, String> links = runs.links(ref, stack);
    Inventory inventory;
    try {
      inventory = inventories.apply(ref).managing(links.keySet());
    } catch (ConnectionNotFoundException e) {
      throw new RequestRejected(404, List.of(new FieldError("connectionId", "no such connection")));
    }
    DeploymentProgram.Plan plan;
    try {
      plan = program.plan(request.inputs(), inventory);
    } catch (InputException e) {
      throw new RequestRejected(
          400,
          e.errors().stream()
              .map(f -> new FieldError("inputs." + f.field(), f.message()))
              .toList());
    }
    String hash = hash(plan.inputs());
    checkApproval(request, ref, stack, hash);

    DeploymentRun run =
        new DeploymentRun(
            UUID.randomUUID().toString(),
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
    return execute(run, program, plan);
  }

  private void checkApproval(
      DeploymentRequest request, ConnectionRef ref, String stack, String hash) {
    switch (request.operation()) {
      case UP -> {
        String id = request.approvedPreviewRunId();
        var preview = id == null ? null : runs.find(ref, id).orElse(null);
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
      case DESTROY -> {
        if (!stack.equals(request.confirmStack())) {
          throw new RequestRejected(
              409,
              List.of(
                  new FieldError(
                      "confirmStack", "must repeat the stack name '" + stack + "' to destroy it")));
        }
      }
      case PREVIEW -> {}
    }
  }

  private DeploymentRun execute(
      DeploymentRun run, DeploymentProgram program, DeploymentProgram.Plan plan) {
    StackEvents events = new StackEvents();
    List<String> errors = new ArrayList<>();
    RunStatus status = RunStatus.FAILED;
    Map<String, String> linked = Map.of();
    Path workDir = null;
    DeploymentRun[] current = {run};
    try (ResolvedConnection conn = connections.apply(run.connection());
        LoopbackForwarder forwarder = LoopbackForwarder.start(ProxmoxClients.settings(conn, 4))) {
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
      Map<String, String> env = new TreeMap<>();
      env.put("PULUMI_BACKEND_URL", settings.backendUrl());
      env.put("PULUMI_SKIP_UPDATE_CHECK", "true");
      env.put("PULUMI_DIY_BACKEND_NO_LEGACY_WARNING", "true");
      env.put("SSL_CERT_FILE", bundle.toString());
      var options =
          LocalWorkspaceOptions.builder()
              .workDir(workDir)
              .pulumiHome(settings.pulumiHome())
              .pulumiCommand(commands.get())
              .secretsProvider(settings.secretsProvider())
              .environmentVariables(env)
              .projectSettings(
                  ProjectSettings.builder(projectName(program.name()), ProjectRuntimeName.JAVA)
                      .backend(ProjectBackend.builder().url(settings.backendUrl()).build())
                      .build())
              .program(inline)
              .build();
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
      if (run.operation() == Operation.UP) {
        linked = links(events.steps());
        runs.link(run.connection(), run.stack(), linked);
      }
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

  /** CI native key to URN for each step that ended with outputs naming a CI. */
  static Map<String, String> links(List<ResourceStep> steps) {
    Map<String, String> out = new TreeMap<>();
    for (ResourceStep s : steps) {
      if (!s.done() || s.failed() || s.op().equals("delete")) {
        continue;
      }
      ResourceKind.ofToken(s.type())
          .flatMap(k -> k.nativeKey(s.outputs()))
          .ifPresent(key -> out.put(key, s.urn()));
    }
    return out;
  }

  /** An engine failure as text: the exception class and the CLI's stderr, never the environment. */
  private static String describe(Exception e) {
    String msg = e.getMessage() == null ? "" : e.getMessage().strip();
    return e.getClass().getSimpleName() + (msg.isEmpty() ? "" : ": " + msg);
  }

  static String hash(Map<String, Object> inputs) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical(inputs).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Keys sorted at every level; the programs build values in a fixed order. */
  private static String canonical(Object v) {
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      new TreeMap<>(m).forEach((k, x) -> b.append(k).append('=').append(canonical(x)).append(';'));
      return b.append('}').toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[");
      l.forEach(x -> b.append(canonical(x)).append(';'));
      return b.append(']').toString();
    }
    return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
  }

  private static void deleteQuietly(Path dir) {
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
