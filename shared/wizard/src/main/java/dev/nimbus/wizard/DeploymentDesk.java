package dev.nimbus.wizard;

import dev.nimbus.connections.ConnectionNotFoundException;
import dev.nimbus.connections.FieldError;
import dev.nimbus.deployments.DeploymentRun;
import dev.nimbus.deployments.DeploymentRunStore;
import dev.nimbus.deployments.Operation;
import dev.nimbus.deployments.RunIds;
import dev.nimbus.deployments.RunStatus;
import dev.nimbus.deployments.StackNames;
import dev.nimbus.infra.programs.CmdbInventory;
import dev.nimbus.infra.programs.DeploymentProgram;
import dev.nimbus.infra.programs.InputException;
import dev.nimbus.infra.programs.Inventory;
import dev.nimbus.infra.programs.InventoryUnavailableException;
import dev.nimbus.infra.programs.ProgramCatalog;
import dev.nimbus.model.ConnectionRef;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the deployment routes call. A preview, up or destroy is checked here completely before it is
 * handed to the Pulumi runner (asynchronous Lambda invocation): the program, the connection, the
 * inputs against the connection's inventory from the CMDB (with the program's own validation), the
 * approval of an up (a succeeded preview of the same stack and inputs), the typed stack name of a
 * destroy, and that no run of the stack is in progress. The runner checks all of it again before
 * any engine call and holds the state backend's lock; these checks make a refusal an answer the
 * user sees instead of a run record nobody asked for. Nothing here runs Pulumi.
 */
public final class DeploymentDesk {
  /**
   * A run record still {@code RUNNING} after this long belongs to a runner that was stopped (the
   * Lambda limit is 15 minutes): it no longer blocks a new run. The backend's lock still would.
   */
  static final Duration RUN_LIMIT = Duration.ofMinutes(16);

  private final ProgramCatalog catalog;
  private final Predicate<ConnectionRef> connectionExists;
  private final CmdbInventory inventories;
  private final DeploymentRunStore runs;
  private final FunctionHandoff runner;
  private final Clock clock;

  public DeploymentDesk(
      ProgramCatalog catalog,
      Predicate<ConnectionRef> connectionExists,
      CmdbInventory inventories,
      DeploymentRunStore runs,
      FunctionHandoff runner,
      Clock clock) {
    this.catalog = catalog;
    this.connectionExists = connectionExists;
    this.inventories = inventories;
    this.runs = runs;
    this.runner = runner;
    this.clock = clock;
  }

  public List<DeploymentProgram> programs() {
    return catalog.all();
  }

  /** What a client sends to start an operation. */
  public record Start(
      Operation operation,
      Map<String, Object> inputs,
      String approvedPreviewRunId,
      String confirmStack) {}

  /** Checks and hands on a preview, up or destroy; answers what the client polls with. */
  public Map<String, Object> start(ConnectionRef ref, String programName, Start start) {
    DeploymentProgram program = program(programName);
    known(ref);
    String stack = StackNames.stack(ref);
    Optional<DeploymentRun> latest = runs.latest(ref, program.name());
    if (start.operation() == Operation.DESTROY) {
      if (!stack.equals(start.confirmStack())) {
        throw WizardException.field(
            WizardException.Kind.CONFLICT,
            "confirmStack",
            "type the stack name '" + stack + "' to destroy it");
      }
      if (latest.isEmpty()) {
        throw WizardException.field(
            WizardException.Kind.NOT_FOUND,
            "program",
            "nothing was deployed with program '" + program.name() + "' on this connection");
      }
    } else {
      Map<String, String> links = runs.links(ref, StackNames.qualified(program.name(), ref));
      Inventory inventory;
      try {
        inventory = inventories.inventory(ref).managing(links.keySet());
      } catch (InventoryUnavailableException e) {
        throw new WizardException(
            WizardException.Kind.CONFLICT, "nothing discovered on this connection yet", e.errors());
      }
      DeploymentProgram.Plan plan;
      try {
        plan = program.plan(start.inputs(), inventory);
      } catch (InputException e) {
        throw new WizardException(
            WizardException.Kind.VALIDATION,
            "the inputs are not valid",
            e.errors().stream()
                .map(f -> new FieldError("inputs." + f.field(), f.message()))
                .toList());
      }
      if (start.operation() == Operation.UP) {
        checkApproval(ref, program.name(), stack, start.approvedPreviewRunId(), plan.inputs());
      }
    }
    latest
        .filter(r -> r.status() == RunStatus.RUNNING)
        .filter(
            r -> r.startedAt() == null || r.startedAt().plus(RUN_LIMIT).isAfter(clock.instant()))
        .ifPresent(
            r -> {
              throw WizardException.field(
                  WizardException.Kind.CONFLICT,
                  "program",
                  "another update of stack "
                      + stack
                      + " ("
                      + StackNames.project(program.name())
                      + ") is running: run "
                      + r.runId()
                      + "; try again when it has finished");
            });
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("operation", start.operation().name().toLowerCase(java.util.Locale.ROOT));
    payload.put("tenantId", ref.tenantId());
    payload.put("connectionId", ref.connectionId());
    payload.put("program", program.name());
    if (start.operation() != Operation.DESTROY) {
      payload.put("inputs", start.inputs());
    }
    if (start.operation() == Operation.UP) {
      payload.put("approvedPreviewRunId", start.approvedPreviewRunId());
    }
    if (start.operation() == Operation.DESTROY) {
      payload.put("confirmStack", start.confirmStack());
    }
    runner.hand(payload);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("queued", true);
    out.put("operation", start.operation().name());
    out.put("program", program.name());
    out.put("stack", stack);
    out.put("after", latest.map(DeploymentRun::runId).orElse(null));
    return out;
  }

  /** Runs of the connection, newest first, optionally of one program. */
  public List<DeploymentRun> runs(ConnectionRef ref, Optional<String> programName, int limit) {
    Optional<String> name = programName.map(p -> program(p).name());
    known(ref);
    return runs.runs(ref).stream()
        .filter(r -> name.isEmpty() || r.program().equals(name.get()))
        .limit(limit)
        .toList();
  }

  public DeploymentRun run(ConnectionRef ref, String runId) {
    known(ref);
    if (!RunIds.isValid(runId)) {
      throw WizardException.notFound("run");
    }
    return runs.find(ref, runId).orElseThrow(() -> WizardException.notFound("run"));
  }

  /** The same rule as the runner's: up applies only what a succeeded preview showed. */
  private void checkApproval(
      ConnectionRef ref, String program, String stack, String id, Map<String, Object> inputs) {
    DeploymentRun preview = RunIds.isValid(id) ? runs.find(ref, id).orElse(null) : null;
    if (preview == null
        || preview.operation() != Operation.PREVIEW
        || preview.status() != RunStatus.SUCCEEDED
        || !stack.equals(preview.stack())
        || !program.equals(preview.program())) {
      throw WizardException.field(
          WizardException.Kind.CONFLICT,
          "approvedPreviewRunId",
          "name a succeeded preview of this stack: up applies only what was previewed");
    }
    if (!StackNames.inputsHash(inputs).equals(preview.inputsHash())) {
      throw WizardException.field(
          WizardException.Kind.CONFLICT,
          "inputs",
          "differ from the approved preview's inputs; preview them again");
    }
  }

  private DeploymentProgram program(String name) {
    return catalog
        .find(name)
        .orElseThrow(
            () ->
                WizardException.field(
                    WizardException.Kind.NOT_FOUND,
                    "program",
                    "unknown program; one of " + String.join(", ", catalog.names())));
  }

  private void known(ConnectionRef ref) {
    if (!connectionExists.test(ref)) {
      throw new ConnectionNotFoundException(ref);
    }
  }
}
