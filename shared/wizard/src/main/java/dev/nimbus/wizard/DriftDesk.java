package dev.nimbus.wizard;

import dev.nimbus.connections.ConnectionNotFoundException;
import dev.nimbus.deployments.StackNames;
import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.deployments.drift.DriftStore;
import dev.nimbus.infra.programs.ProgramCatalog;
import dev.nimbus.model.ConnectionRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the drift routes call: drift records from the table (by connection, or by one program's
 * stack), and a drift check handed to the Pulumi runner (asynchronous Lambda invocation), which
 * refreshes the stacks and stores what it finds.
 */
public final class DriftDesk {
  private final ProgramCatalog catalog;
  private final Predicate<ConnectionRef> connectionExists;
  private final DriftStore store;
  private final FunctionHandoff runner;

  public DriftDesk(
      ProgramCatalog catalog,
      Predicate<ConnectionRef> connectionExists,
      DriftStore store,
      FunctionHandoff runner) {
    this.catalog = catalog;
    this.connectionExists = connectionExists;
    this.store = store;
    this.runner = runner;
  }

  public List<Drift> list(ConnectionRef ref, Optional<String> program) {
    Optional<String> name = program.map(this::program);
    known(ref);
    return name.isEmpty()
        ? store.byConnection(ref)
        : store.byStack(ref, StackNames.qualified(name.get(), ref));
  }

  public Map<String, Object> check(ConnectionRef ref, Optional<String> program) {
    Optional<String> name = program.map(this::program);
    known(ref);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("operation", "drift");
    payload.put("tenantId", ref.tenantId());
    payload.put("connectionId", ref.connectionId());
    name.ifPresent(p -> payload.put("program", p));
    runner.hand(payload);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("queued", true);
    out.put("program", name.orElse(null));
    return out;
  }

  private String program(String name) {
    return catalog
        .find(name)
        .orElseThrow(
            () ->
                WizardException.field(
                    WizardException.Kind.NOT_FOUND,
                    "program",
                    "unknown program; one of " + String.join(", ", catalog.names())))
        .name();
  }

  private void known(ConnectionRef ref) {
    if (!connectionExists.test(ref)) {
      throw new ConnectionNotFoundException(ref);
    }
  }
}
