package dev.nimbus.deployments;

import dev.nimbus.model.ConnectionRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where run records and CI-to-URN links are kept. Links are separate items of the connection, keyed
 * by the CI's native key, so they are outside the CI's content hash (being managed by Nimbus is not
 * a change of the CI) and exist even before the next discovery has seen what was created. A CI is
 * linked to at most one stack.
 */
public interface DeploymentRunStore {
  /** Stores the run (a later save of the same run id replaces it). */
  void save(DeploymentRun run);

  Optional<DeploymentRun> find(ConnectionRef connection, String runId);

  /** The newest run of {@code program}'s stack on the connection. */
  Optional<DeploymentRun> latest(ConnectionRef connection, String program);

  /** Runs of a connection, newest first. */
  List<DeploymentRun> runs(ConnectionRef connection);

  /**
   * Makes {@code nativeKeyToUrn} the links of {@code stack} ({@code <project>/<stack>}): links of
   * the stack not in it are removed, the others written. Empty after a destroy.
   */
  void replaceLinks(ConnectionRef connection, String stack, Map<String, String> nativeKeyToUrn);

  /** Native key to URN of the CIs linked to {@code stack} ({@code <project>/<stack>}). */
  Map<String, String> links(ConnectionRef connection, String stack);

  /**
   * Native key to stack ({@code <project>/<stack>}) of every CI linked on the connection: which
   * stacks a drift check refreshes, and which CIs are managed at all.
   */
  Map<String, String> linkedStacks(ConnectionRef connection);

  /**
   * The newest succeeded {@code up} of a program's stack: since then, what changed in Proxmox was
   * not Pulumi's doing. Reads the connection's runs newest first.
   */
  default Optional<DeploymentRun> lastApplied(ConnectionRef connection, String program) {
    return runs(connection).stream()
        .filter(
            r ->
                r.program().equals(program)
                    && r.operation() == Operation.UP
                    && r.status() == RunStatus.SUCCEEDED)
        .findFirst();
  }

  /** Item writes so far (puts and deletes; the tests count them). */
  long writes();
}
